fn main() -> std::process::ExitCode {
    sprout::cli::main()
}
