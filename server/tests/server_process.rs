//! The real server binary as a process of its own: what a supervisor runs,
//! and what several servers on one database are (issue 14).

use crate::common::database_url;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server binary serving the demo accounts (no app) on a free port,
/// on the tests' database of a directory ([`database_url`]).
pub struct ServerProcess {
    pub child: Child,
    pub base: String,
    log: PathBuf,
}

/// Names each process's log file apart, several sharing one directory.
static STARTED: AtomicUsize = AtomicUsize::new(0);

impl ServerProcess {
    /// Starts a server on the database of `dir` and waits until it serves.
    pub fn start(dir: &Path) -> ServerProcess {
        ServerProcess::start_with(dir, &[])
    }

    /// As [`ServerProcess::start`], with settings in the environment (`GOCUA_…`).
    pub fn start_with(dir: &Path, settings: &[(&str, &str)]) -> ServerProcess {
        let app = dir.join("no-app");
        std::fs::create_dir_all(&app).unwrap();
        // To a file, not a pipe: a busy server would fill a pipe no one reads and stall.
        let log = dir.join(format!("server-{}.log", STARTED.fetch_add(1, Ordering::SeqCst)));
        let mut child = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--demo-accounts", "--log-format", "json"])
            .env("RUST_LOG", "gocua_server=info")
            .envs(settings.iter().copied())
            .arg("--database")
            .arg(database_url(dir))
            .arg("--static-dir")
            .arg(&app)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the server binary runs");
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
        let start = first.find("http://").unwrap_or_else(|| {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the server says where it runs: {first:?}; its log:\n{said}")
        });
        let base = first[start..].trim().trim_end_matches('/').to_owned();
        ServerProcess { child, base, log }
    }

    /// Asks the process to stop, as a supervisor does.
    pub fn terminate(&self) {
        // The shell's own `kill`: a minimal machine may have no kill program.
        let status = Command::new("sh").args(["-c", &format!("kill -TERM {}", self.child.id())]).status().unwrap();
        assert!(status.success());
    }

    /// What the process logged so far (JSON lines).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
