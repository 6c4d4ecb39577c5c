//! The command line: `serve`, and the non-interactive set-up of a real
//! province and its communes (`province add`, `commune add`, `commune place`,
//! `village add`, `team add`, `user add`).

use crate::app_shell::AppShell;
use crate::db::{Database, NewProvinceAccount, NewUser};
use crate::{demo, password, router, serve};
use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use gocua_domain::account::canonical_username;
use gocua_domain::api::Role;
use gocua_domain::text::normalize;
use gocua_domain::SkillGroup;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "gocua-server", version, about = "Gõ Cửa: máy chủ đồng bộ và ứng dụng web")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How the log (standard error) is written: lines for people, or one JSON object a line for a log collector.
    #[arg(long, global = true, env = "GOCUA_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Args)]
struct DatabaseArg {
    /// Where the data lives: sqlite://PATH (created if missing) or postgres://USER@HOST/NAME.
    #[arg(long, env = "GOCUA_DATABASE", default_value = "sqlite://gocua.db")]
    database: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve {
        #[arg(long, env = "GOCUA_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        database: DatabaseArg,
        /// The built app (Trunk's output).
        #[arg(long, env = "GOCUA_STATIC_DIR", default_value = "dist")]
        static_dir: PathBuf,
        /// Reverse proxies or load balancers in front of the server (comma-separated addresses):
        /// from them, the client's address is read from `X-Forwarded-For` (the sign-in limit
        /// per address counts each phone, not the proxy).
        #[arg(long, env = "GOCUA_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// Create the demo commune "Kiến Minh", its accounts and a season of their work, if missing.
        #[arg(long)]
        demo: bool,
        /// Create the demo commune and its accounts only, with no work yet (what the end-to-end tests start from).
        #[arg(long, conflicts_with = "demo")]
        demo_accounts: bool,
    },
    /// Copy the whole database to a new file while the server keeps serving (SQLite; see the README for PostgreSQL).
    Backup {
        #[command(flatten)]
        database: DatabaseArg,
        /// The copy: a new file (an existing one is never overwritten).
        #[arg(long)]
        to: PathBuf,
    },
    /// Copy a whole SQLite database into an empty PostgreSQL one, ids, sign-ins and sync cursors
    /// included (stop the servers using the SQLite file first).
    Copy {
        /// The SQLite database: sqlite://PATH.
        #[arg(long)]
        from: String,
        /// The PostgreSQL database: postgres://USER@HOST/NAME (migrated first; must hold no commune).
        #[arg(long)]
        to: String,
    },
    /// Manage provinces and centrally-run cities (tỉnh / thành phố).
    Province {
        #[command(subcommand)]
        action: ProvinceAction,
    },
    /// Manage communes.
    Commune {
        #[command(subcommand)]
        action: CommuneAction,
    },
    /// Manage villages (thôn / tổ dân phố).
    Village {
        #[command(subcommand)]
        action: VillageAction,
    },
    /// Manage teams (Tổ công nghệ số cộng đồng).
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage the commune's skill catalogue (phones see changes at their next sync).
    Skill {
        #[command(subcommand)]
        action: SkillAction,
    },
}

#[derive(Subcommand)]
enum SkillAction {
    /// Add a skill to the catalogue.
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        commune: String,
        /// Stable id, such as `vneid.level2`.
        #[arg(long)]
        code: String,
        /// The programme it belongs to, such as `digital_identity` or `online_safety`.
        #[arg(long)]
        group: String,
        /// What people read.
        #[arg(long)]
        label: String,
    },
    /// Stop offering a skill for new visits; old visits keep showing it.
    Retire {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        commune: String,
        #[arg(long)]
        code: String,
    },
}

#[derive(Subcommand)]
enum ProvinceAction {
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum CommuneAction {
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        name: String,
        /// The province it belongs to (see `province add`).
        #[arg(long)]
        province: Option<String>,
    },
    /// Put an existing commune in a province.
    Place {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        commune: String,
        #[arg(long)]
        province: String,
    },
}

#[derive(Subcommand)]
enum VillageAction {
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        commune: String,
        #[arg(long)]
        name: String,
        /// Households in the village (for coverage figures).
        #[arg(long, default_value_t = 0)]
        households: u32,
    },
}

#[derive(Subcommand)]
enum TeamAction {
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        commune: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Volunteer,
    Leader,
    Coordinator,
    /// The province's Department of Science and Technology: its communes' figures, never a household.
    Province,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Volunteer => Role::Volunteer,
            RoleArg::Leader => Role::Leader,
            RoleArg::Coordinator => Role::Coordinator,
            RoleArg::Province => Role::Province,
        }
    }
}

#[derive(Subcommand)]
enum UserAction {
    /// Create an account. The password is read from the first line of
    /// standard input, so it never shows in the process list or shell history.
    Add {
        #[command(flatten)]
        database: DatabaseArg,
        /// Required for everyone but a province account.
        #[arg(long, required_unless_present = "province", conflicts_with = "province")]
        commune: Option<String>,
        /// Required for volunteers and leaders.
        #[arg(long)]
        team: Option<String>,
        /// A province account's province.
        #[arg(long)]
        province: Option<String>,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

/// Minimum password length for accounts created from the command line.
const MIN_PASSWORD_CHARS: usize = 8;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { addr, database, static_dir, trusted_proxy, demo, demo_accounts } => {
            let demo = match (demo, demo_accounts) {
                (true, _) => Some(Demo::WithSeason),
                (false, true) => Some(Demo::AccountsOnly),
                (false, false) => None,
            };
            let proxies = crate::forwarded::TrustedProxies::new(trusted_proxy);
            run_server(addr, &database.database, static_dir, proxies, demo).await
        }
        Command::Backup { database, to } => {
            Database::back_up(&database.database, &to)
                .await
                .with_context(|| format!("backing up {}", database.database))?;
            println!("backup written to {}", to.display());
            Ok(())
        }
        Command::Copy { from, to } => {
            let copied = Database::copy(&from, &to).await.with_context(|| format!("copying {from} to {to}"))?;
            for (table, rows) in copied {
                println!("{table}: {rows}");
            }
            println!("copied; the dashboard's figures were rebuilt from the visits");
            Ok(())
        }
        Command::Province { action: ProvinceAction::Add { database, name } } => {
            let id = open(&database).await?.add_province(&normalize(&name)).await?;
            println!("province {id} created");
            Ok(())
        }
        Command::Commune { action: CommuneAction::Add { database, name, province } } => {
            let db = open(&database).await?;
            let id = db.add_commune(&normalize(&name)).await?;
            if let Some(province) = province {
                db.place_commune(&normalize(&name), &normalize(&province)).await?;
            }
            println!("commune {id} created");
            Ok(())
        }
        Command::Commune { action: CommuneAction::Place { database, commune, province } } => {
            open(&database).await?.place_commune(&normalize(&commune), &normalize(&province)).await?;
            println!("commune placed");
            Ok(())
        }
        Command::Village { action: VillageAction::Add { database, commune, name, households } } => {
            let id = open(&database).await?.add_village(&normalize(&commune), &normalize(&name), households).await?;
            println!("village {id} created");
            Ok(())
        }
        Command::Team { action: TeamAction::Add { database, commune, name } } => {
            let id = open(&database).await?.add_team(&normalize(&commune), &normalize(&name)).await?;
            println!("team {id} created");
            Ok(())
        }
        Command::User {
            action: UserAction::Add { database, commune, team, province, username, display_name, role },
        } => {
            let role = Role::from(role);
            let username = canonical_username(&username);
            let display_name = normalize(&display_name);
            let id = match (role, commune, province) {
                (Role::Province, _, Some(province)) => {
                    let account = NewProvinceAccount {
                        province: normalize(&province),
                        username: username.clone(),
                        display_name,
                        password_hash: password::hash(&read_password()?),
                    };
                    open(&database).await?.add_province_account(&account).await?
                }
                (Role::Province, _, None) => bail!("--province is required for a province account"),
                (_, None, _) => bail!("--commune is required for everyone but a province account"),
                (role, Some(commune), _) => {
                    if team.is_none() && role != Role::Coordinator {
                        bail!("--team is required for volunteers and leaders");
                    }
                    let user = NewUser {
                        commune: normalize(&commune),
                        team: team.as_deref().map(normalize),
                        username: username.clone(),
                        display_name,
                        role,
                        password_hash: password::hash(&read_password()?),
                    };
                    open(&database).await?.add_user(&user).await?
                }
            };
            println!("user {id} ({username}) created");
            Ok(())
        }
        Command::Skill { action: SkillAction::Add { database, commune, code, group, label } } => {
            let entry =
                gocua_domain::commune::new_skill(&code, parse_skill_group(&group)?, &label).map_err(|errors| {
                    anyhow::anyhow!(errors.iter().map(|e| e.message_vi()).collect::<Vec<_>>().join(" "))
                })?;
            open(&database).await?.add_skill(&normalize(&commune), &entry).await?;
            println!("skill {} added", entry.code);
            Ok(())
        }
        Command::Skill { action: SkillAction::Retire { database, commune, code } } => {
            open(&database).await?.retire_skill(&normalize(&commune), code.trim()).await?;
            println!("skill {} retired", code.trim());
            Ok(())
        }
    }
}

fn parse_skill_group(raw: &str) -> anyhow::Result<SkillGroup> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).map_err(|_| {
        anyhow::anyhow!(
            "unknown skill group {raw:?}: use one of digital_identity, public_services, cashless_payment, \
             online_safety, digital_market, smart_devices, digital_learning, online_shopping, local_platforms, \
             digital_health"
        )
    })
}

async fn open(database: &DatabaseArg) -> anyhow::Result<Database> {
    Database::connect(&database.database).await.with_context(|| format!("opening {}", database.database))
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password (first line of standard input) must have at least {MIN_PASSWORD_CHARS} characters");
    }
    Ok(password)
}

/// What of the demo commune a server starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Demo {
    AccountsOnly,
    WithSeason,
}

async fn run_server(
    addr: SocketAddr,
    database: &str,
    static_dir: PathBuf,
    proxies: crate::forwarded::TrustedProxies,
    demo: Option<Demo>,
) -> anyhow::Result<()> {
    let db = Database::connect(database).await.with_context(|| format!("opening {database}"))?;
    let with_demo = demo.is_some();
    if with_demo {
        demo::ensure(&db).await.context("creating the demo commune")?;
    }
    if demo == Some(Demo::WithSeason) {
        demo::season::ensure(&db, crate::clock::now())
            .await
            .context("filling the demo commune with a season of work")?;
        demo::ensure_neighbours(&db, crate::clock::now()).await.context("creating the city's other demo communes")?;
    }
    let shell =
        AppShell::load(&static_dir).with_context(|| format!("reading the app from {}", static_dir.display()))?;
    if shell.is_empty() {
        tracing::warn!(dir = %static_dir.display(), "no built app found; serving the API only (run `scripts/build-app.sh`)");
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!(address = %local, "serving");
    println!("Gõ Cửa đang chạy tại http://{local}/");
    if with_demo {
        println!("Tài khoản thử:");
        for line in demo::sign_in_lines() {
            println!("{line}");
        }
    }
    serve(listener, crate::forwarded::behind(router(db, shell), proxies)).await?;
    Ok(())
}
