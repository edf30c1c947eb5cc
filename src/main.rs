//! The `sovra` binary: everything lives in the library; see `sovra::cli`.

fn main() -> std::process::ExitCode {
    sovra::cli::main()
}
