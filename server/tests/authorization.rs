//! The authorization matrix: every endpoint that names a record of our team
//! or commune, asked by every role of our team, another team and another
//! commune, and by the Department of our province and of another one (who
//! see figures, never a commune's people or records). Anyone who should be refused gets 403 or 404 and none of the
//! record's data; anyone allowed gets through. Lists are checked for what
//! they leave out.

use crate::common::{new_id, visit, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Who asks: our team's people, our commune's coordinator, and outsiders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Volunteer,
    Teammate,
    Leader,
    Coordinator,
    OtherTeamVolunteer,
    OtherTeamLeader,
    OtherCommuneVolunteer,
    OtherCommuneLeader,
    OtherCommuneCoordinator,
    /// The Department of Science and Technology of our province.
    Province,
    OtherProvince,
}

use Who::*;

/// Everyone with a commune: all but the provinces' Departments.
const COMMUNE_PEOPLE: [Who; 9] = [
    Volunteer,
    Teammate,
    Leader,
    Coordinator,
    OtherTeamVolunteer,
    OtherTeamLeader,
    OtherCommuneVolunteer,
    OtherCommuneLeader,
    OtherCommuneCoordinator,
];

/// Everyone who asks: the commune's people, then both provinces' Departments.
const EVERYONE: [Who; 11] = {
    let mut all = [Province; 11];
    let mut i = 0;
    while i < COMMUNE_PEOPLE.len() {
        all[i] = COMMUNE_PEOPLE[i];
        i += 1;
    }
    all[10] = OtherProvince;
    all
};

impl Who {
    fn username(self) -> &'static str {
        match self {
            Volunteer => "tinhnguyen1",
            Teammate => "tinhnguyen2",
            Leader => "totruong",
            Coordinator => "dieuphoi",
            OtherTeamVolunteer => "khac-to",
            OtherTeamLeader => "truong-khac-to",
            OtherCommuneVolunteer => "khac-xa",
            OtherCommuneLeader => "truong-khac-xa",
            OtherCommuneCoordinator => "dieuphoi-khac",
            Province => "so-khcn",
            OtherProvince => "so-khcn-khac",
        }
    }
}

/// Our team's records that the requests name.
struct Ours {
    tokens: HashMap<Who, String>,
    household: String,
    volunteer_id: i64,
    village_id: i64,
    team_id: i64,
}

/// What a request names; some targets are made afresh for each asker, since allowing it uses them up.
#[derive(Clone, Copy)]
enum Target {
    Household,
    FreshHousehold,
    Volunteer,
    FreshVolunteerSession,
    FreshInvite,
    FreshVisit,
    Village,
    Team,
    Skill,
    /// A commune name no commune has yet, written where a body says `{}`.
    NewCommuneName,
}

const SKILL: &str = "kienminh.rieng";

impl Ours {
    async fn resolve(&self, server: &TestServer, target: Target) -> String {
        match target {
            Target::Household => self.household.clone(),
            Target::FreshHousehold => server.new_household(&self.tokens[&Volunteer]).await,
            Target::Volunteer => self.volunteer_id.to_string(),
            Target::FreshVolunteerSession => {
                let token = server.login("tinhnguyen1").await;
                let (_, sessions) = server.get_json(&token, "/api/v1/auth/sessions").await;
                let current = sessions["sessions"].as_array().unwrap().iter().find(|s| s["current"] == true).unwrap();
                current["id"].to_string()
            }
            Target::FreshInvite => {
                let (_, invite) =
                    server.send_json(Method::POST, &self.tokens[&Leader], "/api/v1/invites", &json!({})).await;
                invite["id"].to_string()
            }
            Target::FreshVisit => {
                let id = new_id();
                let body = json!({"visits": [visit(&id, &self.household)]});
                let answer: Value = server.push(&self.tokens[&Volunteer], &body).await.json().await.unwrap();
                assert_eq!(answer["results"][0]["status"], "applied");
                id
            }
            Target::Village => self.village_id.to_string(),
            Target::Team => self.team_id.to_string(),
            Target::Skill => SKILL.to_owned(),
            Target::NewCommuneName => format!("Xã {}", &new_id()[28..]),
        }
    }
}

struct Row {
    method: Method,
    /// With `{}` where the target goes.
    path: &'static str,
    target: Target,
    body: Option<Value>,
    allowed: &'static [Who],
}

fn rows(ours: &Ours) -> Vec<Row> {
    let row = |method: Method, path, target, body: Option<Value>, allowed| Row { method, path, target, body, allowed };
    vec![
        row(Method::GET, "/api/v1/households/{}", Target::Household, None, &[Volunteer, Teammate, Leader, Coordinator]),
        row(Method::PATCH, "/api/v1/households/{}", Target::Household, Some(json!({"members": 5})), &[Coordinator]),
        row(Method::DELETE, "/api/v1/households/{}/personal-data", Target::FreshHousehold, None, &[Coordinator]),
        row(Method::GET, "/api/v1/users/{}", Target::Volunteer, None, &[Volunteer, Leader, Coordinator]),
        row(
            Method::PATCH,
            "/api/v1/users/{}",
            Target::Volunteer,
            Some(json!({"active": true})),
            &[Leader, Coordinator],
        ),
        row(
            Method::PATCH,
            "/api/v1/users/{}",
            Target::Volunteer,
            Some(json!({"display_name": "Phạm Thu Trang"})),
            &[Coordinator],
        ),
        row(Method::GET, "/api/v1/users/{}/sessions", Target::Volunteer, None, &[Volunteer, Leader, Coordinator]),
        row(Method::DELETE, "/api/v1/auth/sessions/{}", Target::FreshVolunteerSession, None, &[Volunteer]),
        row(Method::DELETE, "/api/v1/invites/{}", Target::FreshInvite, None, &[Leader, Coordinator]),
        row(Method::DELETE, "/api/v1/visits/{}", Target::FreshVisit, None, &[Leader, Coordinator]),
        row(Method::POST, "/api/v1/invites{}", Target::Team, None, &[Leader, Coordinator]),
        row(Method::PATCH, "/api/v1/villages/{}", Target::Village, Some(json!({"households": 120})), &[Coordinator]),
        row(
            Method::PATCH,
            "/api/v1/teams/{}",
            Target::Team,
            Some(json!({"name": "Tổ CNSCĐ thôn Đông"})),
            &[Coordinator],
        ),
        row(Method::PATCH, "/api/v1/catalogue/{}", Target::Skill, Some(json!({"retired": false})), &[Coordinator]),
        row(
            Method::POST,
            "/api/v1/users{}",
            Target::Team,
            Some(
                json!({"username": "moi", "display_name": "Người mới", "role": "volunteer", "team_id": ours.team_id, "password": "mật khẩu tạm"}),
            ),
            &[Coordinator],
        ),
        // Each Department adds communes to its own province (tests/provinces.rs checks which).
        row(
            Method::POST,
            "/api/v1/province/communes",
            Target::NewCommuneName,
            Some(json!({"name": "{}"})),
            &[Province, OtherProvince],
        ),
    ]
}

/// Sends one request of a row; `POST …{}` rows name the team in the body instead of the path.
async fn ask(server: &TestServer, ours: &Ours, row: &Row, who: Who) -> (u16, String) {
    let target = ours.resolve(server, row.target).await;
    let (path, body) = if row.method == Method::POST && row.path.ends_with("{}") {
        let mut body = row.body.clone().unwrap_or_else(|| json!({}));
        body["team_id"] = json!(ours.team_id);
        if let Some(username) = body.get("username").and_then(Value::as_str) {
            body["username"] = json!(format!("{username}-{}", new_id()[..8].to_owned()));
        }
        (row.path.replace("{}", ""), Some(body))
    } else {
        let body =
            row.body.as_ref().map(|body| serde_json::from_str(&body.to_string().replace("{}", &target)).unwrap());
        (row.path.replace("{}", &target), body)
    };
    let mut request = server.client.request(row.method.clone(), server.url(&path)).bearer_auth(&ours.tokens[&who]);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn set_up() -> (TestServer, Ours) {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let mut tokens = HashMap::new();
    for who in EVERYONE {
        tokens.insert(who, server.login(who.username()).await);
    }
    let household = server.new_household(&tokens[&Volunteer]).await;
    let answer: Value = server
        .push(&tokens[&Volunteer], &json!({"visits": [visit(&new_id(), &household)]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["results"][0]["status"], "applied");
    let (_, me) = server.get_json(&tokens[&Volunteer], "/api/v1/me").await;
    let coordinator = &tokens[&Coordinator];
    let skill = json!({"code": SKILL, "group": "local_platforms", "label": "Ứng dụng riêng của xã"});
    assert_eq!(server.send_json(Method::POST, coordinator, "/api/v1/catalogue", &skill).await.0, 201);
    let ours = Ours {
        tokens,
        household,
        volunteer_id: me["user_id"].as_i64().unwrap(),
        village_id: me["villages"][0]["id"].as_i64().unwrap(),
        team_id: me["team"]["id"].as_i64().unwrap(),
    };
    (server, ours)
}

#[tokio::test]
async fn every_endpoint_refuses_whoever_has_no_role_in_the_record() {
    let (server, ours) = set_up().await;
    let mut wrong = Vec::new();
    for row in rows(&ours) {
        for who in EVERYONE {
            let (status, body) = ask(&server, &ours, &row, who).await;
            let allowed = row.allowed.contains(&who);
            let fine = if allowed {
                (200..300).contains(&status)
            } else {
                (status == 403 || status == 404) && !body.contains("Nguyễn Văn An") && body.contains("\"error\"")
            };
            if !fine {
                wrong.push(format!("{} {} by {who:?}: {status} {body}", row.method, row.path));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
}

/// Lists answer within scope: ours appear only to those with a role in them.
#[tokio::test]
async fn lists_show_our_records_only_to_those_with_a_role_in_them() {
    let (server, ours) = set_up().await;
    // (path, who may call it at all, who sees ours in it, what marks ours)
    let household_mark = ours.household.clone();
    let lists: Vec<(&str, &[Who], &[Who], String)> = vec![
        ("/api/v1/households", &COMMUNE_PEOPLE, &[Volunteer, Teammate, Leader, Coordinator], household_mark.clone()),
        ("/api/v1/visits", &COMMUNE_PEOPLE, &[Volunteer, Leader, Coordinator], household_mark.clone()),
        ("/api/v1/sync/pull", &COMMUNE_PEOPLE, &[Volunteer, Teammate, Leader, Coordinator], household_mark.clone()),
        (
            "/api/v1/users",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[Leader, Coordinator],
            "tinhnguyen1".into(),
        ),
        (
            "/api/v1/invites",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[],
            String::new(),
        ),
        ("/api/v1/audit", &[Coordinator, OtherCommuneCoordinator], &[Coordinator], household_mark.clone()),
        (
            "/api/v1/exports/visits.csv",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[Leader, Coordinator],
            "Nguyễn Văn An".into(),
        ),
        (
            "/api/v1/dashboard",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[],
            String::new(),
        ),
        (
            "/api/v1/reports/quarterly",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[],
            String::new(),
        ),
        (
            "/api/v1/exports/visits.xlsx",
            &[Leader, Coordinator, OtherTeamLeader, OtherCommuneLeader, OtherCommuneCoordinator],
            &[],
            String::new(),
        ),
        ("/api/v1/teams", &[Coordinator, OtherCommuneCoordinator], &[Coordinator], "Tổ CNSCĐ thôn Đông".into()),
        ("/api/v1/province", &[Province, OtherProvince], &[Province], "Kiến Minh".into()),
        ("/api/v1/province/report", &[Province, OtherProvince], &[Province], "Kiến Minh".into()),
        ("/api/v1/province/invites", &[Province, OtherProvince], &[], String::new()),
        ("/api/v1/reports/quarterly/submission", &[Coordinator, OtherCommuneCoordinator], &[], String::new()),
        (
            "/api/v1/villages",
            &COMMUNE_PEOPLE,
            &[Volunteer, Teammate, Leader, Coordinator, OtherTeamVolunteer, OtherTeamLeader],
            "Thôn Đông".into(),
        ),
        (
            "/api/v1/catalogue",
            &COMMUNE_PEOPLE,
            &[Volunteer, Teammate, Leader, Coordinator, OtherTeamVolunteer, OtherTeamLeader],
            SKILL.into(),
        ),
    ];
    let mut wrong = Vec::new();
    for (path, callers, seers, mark) in lists {
        for who in EVERYONE {
            let response = server.client.get(server.url(path)).bearer_auth(&ours.tokens[&who]).send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            let may_call = callers.contains(&who);
            if may_call != (status == 200) || (!may_call && status != 403) {
                wrong.push(format!("GET {path} by {who:?}: {status}"));
            }
            if !mark.is_empty() && body.contains(&mark) != seers.contains(&who) {
                wrong.push(format!("GET {path} by {who:?}: ours shown = {}", body.contains(&mark)));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
}

/// Security headers on every answer: API, errors, the app shell, static files.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let requests = [
        (Method::GET, "/api/v1/health", None),
        (Method::GET, "/api/v1/me", Some(&token)),
        (Method::GET, "/api/v1/me", None),
        (Method::GET, "/api/v1/users", Some(&token)),
        (Method::GET, "/api/v1/nowhere", None),
        (Method::PUT, "/api/v1/me", Some(&token)),
        (Method::POST, "/api/v1/auth/join", None),
        (Method::GET, "/", None),
        (Method::GET, "/households/abc", None),
        (Method::GET, "/sw.js", None),
        (Method::GET, "/gocua-app-0123456789abcdef_bg.wasm", None),
    ];
    for (method, path, token) in requests {
        let mut request = server.client.request(method.clone(), server.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let headers = response.headers();
        let csp = headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{method} {path}: {csp}");
        assert!(!csp.contains("'unsafe-inline'"), "{method} {path}: no inline script");
        assert_eq!(
            headers.get("x-content-type-options").map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{method} {path}"
        );
        assert_eq!(headers.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("no-referrer"), "{method} {path}");
        assert!(headers.get("access-control-allow-origin").is_none(), "{method} {path}: no CORS");
    }
}
