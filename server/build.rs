//! `sqlx::migrate!` embeds the migrations when the server is compiled: a
//! migration added or changed must rebuild it, or a build left from before
//! would open databases without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
