//! The `sovra` binary: everything lives in the library; see `sovra::cli`.

/// mimalloc instead of the system allocator: see the note at the dependency in
/// `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sovra::cli::main()
}
