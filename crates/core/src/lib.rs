//! What every stage of sprout stands on: exit codes, the clock (`SOURCE_DATE_EPOCH`),
//! quarters and report windows, the label vocabularies, the rule for what may be shown of
//! an export's values, and how numbers read in messages. Nothing here knows of any stage.

pub mod clock;
pub mod exit;
pub mod fxhash;
pub mod hash;
pub mod ids;
pub mod period;
pub mod privacy;
pub mod small_str;
pub mod suggest;
pub mod text;
pub mod vocab;
