//! Rate limiting: 10-second windows per route and per account, 429 `rate_limited` with the headers.

mod support;

use support::*;

#[test]
fn route_then_global_limits_answer_429_with_headers() {
    let emu = Emulator::start(&[
        "--seed",
        "demo",
        "--rate-limit-global",
        "5",
        "--rate-limit-route",
        "3",
    ]);
    // Keep all the calls inside one window: wait if the current one is about to end.
    let first = emu.get("/api/v2/caller-identity", OWNER);
    let reset: i64 = first.header("x-ratelimit-reset").unwrap().parse().unwrap();
    let mut used = 1;
    if reset - now_ms() < 3000 {
        while now_ms() < reset + 10 {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        used = 0;
    }
    let num = |r: &Reply, h: &str| r.header(h).unwrap().parse::<i64>().unwrap();
    for i in 1..=3 {
        let r = emu.get("/api/v2/tokens", OWNER);
        assert_eq!(r.status, 200, "request {i}");
        assert_eq!(num(&r, "x-ratelimit-route-remaining"), 3 - i);
    }
    used += 3;
    let sent = now_ms();
    let limited = emu.call_with(
        "GET",
        "/api/v2/tokens",
        Some(OWNER),
        None,
        &[("Origin", "http://localhost:5173")],
    );
    let received = now_ms();
    limited.expect_error(429, "rate_limited");
    // Retry-After: whole seconds, at least 1, long enough to reach X-Ratelimit-Reset from the moment the
    // server answered (between `sent` and `received`), and no longer than that rounded up.
    let retry_after: i64 = limited
        .header("retry-after")
        .expect("a 429 carries Retry-After")
        .parse()
        .expect("Retry-After is an integer number of seconds");
    let reset_at = num(&limited, "x-ratelimit-reset");
    assert!(retry_after >= 1, "Retry-After {retry_after}");
    assert!(
        received + retry_after * 1000 >= reset_at,
        "waiting Retry-After reaches the reset"
    );
    assert!(
        retry_after <= ((reset_at - sent + 999) / 1000).max(1),
        "Retry-After {retry_after} is no longer than the wait until the reset"
    );
    let exposed = limited
        .header("access-control-expose-headers")
        .expect("CORS exposes headers");
    assert!(
        exposed
            .split(',')
            .any(|h| h.trim().eq_ignore_ascii_case("retry-after")),
        "{exposed}"
    );
    assert_eq!(num(&limited, "x-ratelimit-route-remaining"), 0);
    assert_eq!(num(&limited, "x-ratelimit-global-remaining"), 5 - used);
    let reset = num(&limited, "x-ratelimit-reset");
    assert_eq!(reset % 10_000, 0, "windows are 10 s long");
    assert!(reset > now_ms());
    // Another route still has budget until the account's is spent.
    while used < 5 {
        emu.get("/api/v2/roles", OWNER).expect(200, "CustomRoles");
        used += 1;
    }
    let global = emu.get("/api/v2/roles", OWNER);
    global.expect_error(429, "rate_limited");
    assert!(global.header("retry-after").is_some());
    assert_eq!(num(&global, "x-ratelimit-global-remaining"), 0);
    // Unauthenticated requests are refused before counting and carry no budget headers.
    let anon = emu.call("GET", "/api/v2/tokens", None, None);
    anon.expect_error(401, "unauthorized");
    assert!(anon.header("x-ratelimit-reset").is_none());
    // The next window starts afresh.
    while now_ms() < reset + 10 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
}
