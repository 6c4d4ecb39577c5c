//! `gocua-server`: see `gocua-server --help`.

use clap::Parser;
use gocua_server::cli::{Cli, LogFormat};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "gocua_server=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    // The server unwinds (a panic ends one request, answered 500): said in
    // the log's own format, so a collector of JSON lines reads it too.
    std::panic::set_hook(Box::new(|panic| tracing::error!(%panic, "panicked")));
    gocua_server::cli::run(cli).await
}
