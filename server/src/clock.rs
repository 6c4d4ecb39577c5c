//! The server's clock: now, to the microsecond every storage engine keeps
//! ([`gocua_domain::time::to_microseconds`]), so what a backend stores reads
//! back equal, and a database copied from one engine to another is the same.

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    gocua_domain::time::to_microseconds(Utc::now())
}
