//! One module per subcommand, each owning its arguments and its terminal output.

pub mod init;
pub mod io;
pub mod list;
pub mod meta;
pub mod report;
pub mod sample_data;
pub mod validate;
