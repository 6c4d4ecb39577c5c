//! The volunteer's build: the screens it leaves out open the full build ([`gocua_app::builds`]).
fn main() {
    gocua_app::start(gocua_app::builds::FullBuildScreens::elsewhere());
}
