//! The full build: the volunteer's app, the screens of leaders and
//! coordinators, and those a volunteer opens rarely ([`gocua_app::builds`]).
fn main() {
    gocua_app::start(gocua_app::builds::FullBuildScreens::here());
}
