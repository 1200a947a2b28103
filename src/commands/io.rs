//! What every command shares at the terminal: its output, and its file arguments.

/// `println!` for command output, through [`emit`].
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {
        $crate::commands::io::emit(&format!("{}\n", format_args!($($t)*)))
    };
}

/// Writes to standard output. A closed pipe (`sprout validate ... | head`) ends output
/// quietly rather than as an error.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// A path argument that must name an existing file.
pub fn existing_file(p: &std::path::Path) -> crate::error::Result<()> {
    if p.is_file() {
        Ok(())
    } else {
        Err(crate::error::Error::Usage(format!(
            "{}: no such file",
            p.display()
        )))
    }
}
