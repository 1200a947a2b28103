//! ONS 2021 ethnic groups (England and Wales), with the NHS data dictionary letter codes
//! and the label styles case-management systems export.

use super::Term;

/// The five high-level ONS groups, plus values known only at group level.
pub const ETHNIC_GROUPS: [(&str, &str); 6] = [
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or Multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    ("not_stated", "Not stated"),
];

pub const ETHNICITIES: &[Term] = &[
    Term {
        id: "white_british",
        label: "White: English, Welsh, Scottish, Northern Irish or British",
        aliases: &[
            "white english welsh scottish northern irish or british",
            "british or mixed british",
            "white english welsh scottish northern irish british",
            "english welsh scottish northern irish or british",
            "white english or welsh or scottish or northern irish or british",
            "english or welsh or scottish or northern irish or british",
            "white british",
            "british",
            "white uk",
            "a",
            "a white british",
        ],
    },
    Term {
        id: "white_irish",
        label: "White: Irish",
        aliases: &["white irish", "irish", "b", "b white irish"],
    },
    Term {
        id: "white_gypsy_traveller",
        label: "White: Gypsy or Irish Traveller",
        aliases: &[
            "white gypsy or irish traveller",
            "gypsy or irish traveller",
            "gypsy traveller",
            "white gypsy traveller",
            "irish traveller",
        ],
    },
    Term {
        id: "white_roma",
        label: "White: Roma",
        aliases: &["white roma", "roma"],
    },
    Term {
        id: "white_other",
        label: "White: any other White background",
        aliases: &[
            "white other",
            "any other white background",
            "other white background",
            "white any other white background",
            "other white",
            "white any other",
            "c",
            "c any other white background",
            "white other white",
        ],
    },
    Term {
        id: "mixed_white_black_caribbean",
        label: "Mixed: White and Black Caribbean",
        aliases: &[
            "mixed white and black caribbean",
            "white and black caribbean",
            "mixed multiple ethnic groups white and black caribbean",
            "mixed or multiple ethnic groups white and black caribbean",
            "d",
            "d mixed white and black caribbean",
        ],
    },
    Term {
        id: "mixed_white_black_african",
        label: "Mixed: White and Black African",
        aliases: &[
            "mixed white and black african",
            "white and black african",
            "mixed multiple ethnic groups white and black african",
            "mixed or multiple ethnic groups white and black african",
            "e",
            "e mixed white and black african",
        ],
    },
    Term {
        id: "mixed_white_asian",
        label: "Mixed: White and Asian",
        aliases: &[
            "mixed white and asian",
            "white and asian",
            "mixed multiple ethnic groups white and asian",
            "mixed or multiple ethnic groups white and asian",
            "f",
            "f mixed white and asian",
        ],
    },
    Term {
        id: "mixed_other",
        label: "Mixed: any other Mixed or Multiple background",
        aliases: &[
            "mixed other",
            "any other mixed background",
            "any other mixed or multiple ethnic background",
            "any other mixed or multiple background",
            "other mixed or multiple ethnic groups",
            "other mixed or multiple",
            "mixed any other mixed background",
            "other mixed",
            "g",
            "g any other mixed background",
            "mixed other mixed or multiple ethnic groups",
            "mixed any other mixed or multiple background",
        ],
    },
    Term {
        id: "asian_indian",
        label: "Asian: Indian",
        aliases: &[
            "asian indian",
            "indian",
            "indian or british indian",
            "asian or asian british indian",
            "asian asian british indian",
            "asian british indian",
            "h",
            "h indian",
        ],
    },
    Term {
        id: "asian_pakistani",
        label: "Asian: Pakistani",
        aliases: &[
            "asian pakistani",
            "pakistani",
            "pakistani or british pakistani",
            "asian or asian british pakistani",
            "asian asian british pakistani",
            "asian british pakistani",
            "j",
            "j pakistani",
        ],
    },
    Term {
        id: "asian_bangladeshi",
        label: "Asian: Bangladeshi",
        aliases: &[
            "asian bangladeshi",
            "bangladeshi",
            "bangladeshi or british bangladeshi",
            "asian or asian british bangladeshi",
            "asian asian british bangladeshi",
            "asian british bangladeshi",
            "k",
            "k bangladeshi",
        ],
    },
    Term {
        id: "asian_chinese",
        label: "Asian: Chinese",
        aliases: &[
            "asian chinese",
            "chinese",
            "asian or asian british chinese",
            "asian asian british chinese",
            "asian british chinese",
            "other chinese",
            "r",
            "r chinese",
        ],
    },
    Term {
        id: "asian_other",
        label: "Asian: any other Asian background",
        aliases: &[
            "asian other",
            "any other asian background",
            "asian any other asian background",
            "asian or asian british any other asian background",
            "other asian",
            "l",
            "l any other asian background",
            "asian other asian",
        ],
    },
    Term {
        id: "black_caribbean",
        label: "Black: Caribbean",
        aliases: &[
            "black caribbean",
            "caribbean",
            "black or black british caribbean",
            "black black british caribbean",
            "black british caribbean",
            "black black british caribbean or african caribbean",
            "m",
            "m caribbean",
        ],
    },
    Term {
        id: "black_african",
        label: "Black: African",
        aliases: &[
            "black african",
            "african",
            "black or black british african",
            "black black british african",
            "black british african",
            "black black british caribbean or african african",
            "n",
            "n african",
        ],
    },
    Term {
        id: "black_other",
        label: "Black: any other Black, Caribbean or African background",
        aliases: &[
            "black other",
            "any other black background",
            "any other black caribbean or african background",
            "any other black black british or caribbean background",
            "black any other black background",
            "other black",
            "p",
            "p any other black background",
            "black other black",
            "black any other black black british or caribbean background",
        ],
    },
    Term {
        id: "other_arab",
        label: "Other: Arab",
        aliases: &["arab", "other ethnic group arab", "other arab"],
    },
    Term {
        id: "other_any",
        label: "Other: any other ethnic group",
        aliases: &[
            "any other ethnic group",
            "other ethnic group any other ethnic group",
            "other ethnic group",
            "other",
            "s",
            "s any other ethnic group",
            "other any other ethnic group",
        ],
    },
    Term {
        id: "group_asian",
        label: "Asian or Asian British (not specified)",
        aliases: &[
            "asian",
            "asian or asian british",
            "asian asian british",
            "asian british",
        ],
    },
    Term {
        id: "group_black",
        label: "Black (not specified)",
        aliases: &[
            "black",
            "black or black british",
            "black black british",
            "black british",
            "black african caribbean or black british",
            "black black british caribbean or african",
        ],
    },
    Term {
        id: "group_mixed",
        label: "Mixed (not specified)",
        aliases: &[
            "mixed",
            "mixed or multiple ethnic groups",
            "mixed multiple ethnic groups",
            "mixed multiple",
            "dual heritage",
        ],
    },
    Term {
        id: "group_white",
        label: "White (not specified)",
        aliases: &["white"],
    },
    Term {
        id: "not_stated",
        label: "Not stated",
        aliases: &[
            "not stated",
            "ethnic category not stated",
            "not known",
            "unknown",
            "prefer not to say",
            "declined",
            "refused",
            "not recorded",
            "z",
            "z not stated",
            "99",
            "99 not known",
        ],
    },
];

/// High-level ONS group of an ethnicity id.
pub fn ethnic_group_of(id: &str) -> &'static str {
    match id.split('_').next().unwrap_or("") {
        "white" => "white",
        "mixed" => "mixed",
        "asian" => "asian",
        "black" => "black",
        "other" => "other",
        "group" => match id {
            "group_asian" => "asian",
            "group_black" => "black",
            "group_mixed" => "mixed",
            "group_white" => "white",
            _ => "not_stated",
        },
        _ => "not_stated",
    }
}

/// Whether a person belongs to an ethnic minority (every group except White British,
/// as in UK government usage). `None` when it cannot be told from the recorded value.
pub fn is_ethnic_minority(id: &str) -> Option<bool> {
    match id {
        "white_british" => Some(false),
        "group_white" | "not_stated" => None,
        _ => Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_minority_status() {
        assert_eq!(ethnic_group_of("asian_pakistani"), "asian");
        assert_eq!(ethnic_group_of("group_black"), "black");
        assert_eq!(ethnic_group_of("not_stated"), "not_stated");
        assert_eq!(ethnic_group_of("other_arab"), "other");
        assert_eq!(is_ethnic_minority("white_british"), Some(false));
        assert_eq!(is_ethnic_minority("white_irish"), Some(true));
        assert_eq!(is_ethnic_minority("group_white"), None);
        assert_eq!(ETHNICITIES.len(), 24);
    }
}
