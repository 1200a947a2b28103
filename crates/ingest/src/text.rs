//! Text decoding and delimiter sniffing for delimited exports.

use std::borrow::Cow;

use sprout_config::TextEncoding;

/// Decoded file text and whether the Windows-1252 fallback was used.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub fell_back: bool,
}

/// UTF-8 (a BOM is dropped) unless the bytes are not valid UTF-8, in which case the text
/// is read as Windows-1252, the encoding Excel uses for "CSV" on UK Windows machines.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Decoded<'_> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if forced != Some(TextEncoding::Windows1252)
        && let Ok(s) = std::str::from_utf8(body)
    {
        return Decoded {
            text: Cow::Borrowed(s),
            fell_back: false,
        };
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
    Decoded {
        text: Cow::Owned(text.into_owned()),
        fell_back: forced != Some(TextEncoding::Windows1252),
    }
}

/// One pass over a file: whether it is valid UTF-8 (checked in chunks, so a large export is
/// never held in memory just to learn its encoding) and its SHA-256 for the manifest.
pub fn scan_file(path: &std::path::Path) -> std::io::Result<(bool, String)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut carry = 0;
    let mut utf8 = true;
    loop {
        let n = file.read(&mut buf[carry..])?;
        hasher.update(&buf[carry..carry + n]);
        let end = carry + n;
        if n == 0 {
            // A sequence cut short by the end of the file is invalid.
            return Ok((
                utf8 && carry == 0,
                sprout_core::hash::hex(&hasher.finalize()),
            ));
        }
        if !utf8 {
            continue;
        }
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                // An incomplete sequence at the chunk's end: keep it for the next read.
                let valid = e.valid_up_to();
                buf.copy_within(valid..end, 0);
                carry = end - valid;
            }
            Err(_) => {
                utf8 = false;
                carry = 0;
            }
        }
    }
}

/// Picks the delimiter of a text export from its first lines: the candidate that appears
/// most often in the header, preferring one whose count is the same on the following lines.
pub fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let lines: Vec<&str> = records(text)
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    // The delimiter splits the most lines into the same number of fields (and, between
    // equals, into more). A title or export date above the header has none, or a stray
    // one, so it does not decide.
    let mut best = (b',', 0usize, 0usize);
    for c in CANDIDATES {
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for n in lines
            .iter()
            .map(|l| count_unquoted(l, c))
            .filter(|n| *n > 0)
        {
            match tally.iter_mut().find(|(count, _)| *count == n) {
                Some((_, lines)) => *lines += 1,
                None => tally.push((n, 1)),
            }
        }
        let Some(&(count, agreeing)) = tally.iter().max_by_key(|(count, lines)| (*lines, *count))
        else {
            continue;
        };
        if (agreeing, count) > (best.2, best.1) {
            best = (c, count, agreeing);
        }
    }
    best.0
}

/// The records of a text: its lines, except that a line break inside double quotes (a
/// note over several lines) does not end one.
fn records(text: &str) -> impl Iterator<Item = &str> {
    let mut in_quotes = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' | b'\r' if !in_quotes => {
                    let record = &text[start..i - 1];
                    start = i;
                    return Some(record);
                }
                _ => {}
            }
        }
        (start < bytes.len()).then(|| {
            let record = &text[start..];
            start = bytes.len();
            record
        })
    })
}

fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_windows_1252() {
        let d = decode(b"\xEF\xBB\xBFa,b\n", None);
        assert_eq!(d.text, "a,b\n");
        assert!(!d.fell_back);
        let d = decode(b"name\nZo\xEB \x96 caf\xE9\n", None);
        assert_eq!(d.text, "name\nZoë – café\n");
        assert!(d.fell_back);
    }

    #[test]
    fn utf8_check_across_chunk_boundaries() {
        let dir = std::env::temp_dir().join(format!("sprout-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        // A two-byte character straddling the 1 MiB chunk boundary.
        let mut good = vec![b'a'; (1 << 20) - 1];
        good.extend_from_slice("é and more\n".as_bytes());
        std::fs::write(dir.join("good.csv"), &good).expect("write");
        let (utf8, hash) = scan_file(&dir.join("good.csv")).expect("read");
        assert!(utf8);
        assert_eq!(hash, sprout_core::hash::sha256_hex(&good));
        let mut bad = good.clone();
        bad.push(0xE9);
        std::fs::write(dir.join("bad.csv"), &bad).expect("write");
        let (utf8, hash) = scan_file(&dir.join("bad.csv")).expect("read");
        assert!(!utf8);
        assert_eq!(hash, sprout_core::hash::sha256_hex(&bad));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x, y\";b\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("single\n1\n"), b',');
        // Titles above the header, with or without a stray comma.
        assert_eq!(
            sniff_delimiter("Contacts export\nID|Date|Outcome\nA1|2025-04-08|Attended\n"),
            b'|'
        );
        assert_eq!(
            sniff_delimiter("Referrals, all teams\nRun 08/04/2025\nID\tDate\nA1\t2025\nA2\t2025\n"),
            b'\t'
        );
        // Notes over several quoted lines are one record each.
        let note = "C1,\"Spoke to client\nActions: housing; benefits; food bank\nFollow up\",08/04/2025,Phone,30\n";
        let text = format!("Client ID,Note,Date,Mode,Minutes\n{}", note.repeat(12));
        assert_eq!(sniff_delimiter(&text), b',');
        assert_eq!(sniff_delimiter("a;b\r1;2\r3;4\r"), b';', "old Mac endings");
        // Commas inside unquoted values of a semicolon file do not win.
        assert_eq!(
            sniff_delimiter("id;note;n\n1;a, b;2\n2;c, d, e;3\n3;f;4\n"),
            b';'
        );
    }
}
