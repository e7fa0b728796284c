//! The `maillage` command: runs the platform and its operations (migrate, users, backup,
//! audit verification, national data imports, synthetic data, CPTS perimeters).

mod audit_cli;
mod bench_bookings;
mod bench_cli;
mod cli;
mod config;
mod import_cli;
mod server;
mod synth_cli;
mod territory_cli;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("erreur : {error}");
            ExitCode::FAILURE
        }
    }
}
