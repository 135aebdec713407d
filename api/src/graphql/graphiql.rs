//! The GraphiQL page at `GET /`: our own small page rather than async-graphql's,
//! which loads unpinned GraphiQL and React development builds without integrity
//! hashes and stays on "Loading..." forever when they cannot be fetched.
//!
//! Every asset is an exact npm version loaded from `GRAPHIQL_ASSETS_URL` (same
//! layout as unpkg or jsDelivr's `/npm`: `/<package>@<version>/<file>`) with a
//! Subresource Integrity hash, so a CDN or mirror cannot swap the code, and a
//! deployment (or an air-gapped network) can serve its own copy. The page's
//! Content-Security-Policy allows scripts and styles from that base URL only, plus
//! our one inline script by its hash.
//!
//! To upgrade or check the hashes, download the packages from the npm registry
//! and hash the exact files:
//!
//! ```sh
//! npm pack react@18.3.1 react-dom@18.3.1 graphiql@3.8.3 graphql-ws@5.16.2
//! for t in *.tgz; do mkdir -p "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done
//! for f in react-18.3.1/package/umd/react.production.min.js \
//!          react-dom-18.3.1/package/umd/react-dom.production.min.js \
//!          graphiql-3.8.3/package/graphiql.min.js graphiql-3.8.3/package/graphiql.min.css \
//!          graphql-ws-5.16.2/package/umd/graphql-ws.min.js; do
//!   echo "$f sha384-$(openssl dgst -sha384 -binary "$f" | openssl base64 -A)"
//! done
//! ```
//!
//! GraphiQL 3 is the last major version shipping a UMD build and its CSS (4 and
//! later are ES modules); React 18 is the last with UMD builds.

use actix_web::{HttpResponse, http::header, web};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::app::AppState;

/// One pinned file of an npm package.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    /// Path under the assets base URL: `/<package>@<version>/<file>`.
    pub path: &'static str,
    /// Its Subresource Integrity hash.
    pub integrity: &'static str,
}

/// React's production UMD build.
pub const REACT: Asset = Asset {
    path: "/react@18.3.1/umd/react.production.min.js",
    integrity: "sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z",
};
/// ReactDOM's production UMD build.
pub const REACT_DOM: Asset = Asset {
    path: "/react-dom@18.3.1/umd/react-dom.production.min.js",
    integrity: "sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1",
};
/// GraphiQL's UMD bundle (graphql-js included).
pub const GRAPHIQL_JS: Asset =
    Asset { path: "/graphiql@3.8.3/graphiql.min.js", integrity: "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie" };
/// The `graphql-ws` client's UMD build (the `graphqlWs` global): GraphiQL runs
/// subscriptions over `/graphql/ws` with it.
pub const GRAPHQL_WS: Asset = Asset {
    path: "/graphql-ws@5.16.2/umd/graphql-ws.min.js",
    integrity: "sha384-+EVxFEOpy8LWPRQcpntm0FKN2O+BzrMNSL0G3HIgVWFmeb6xqZqjuLivrQUTXZKi",
};
/// GraphiQL's styles.
pub const GRAPHIQL_CSS: Asset = Asset {
    path: "/graphiql@3.8.3/graphiql.min.css",
    integrity: "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
};

/// Renders GraphiQL against `/graphql`, or shows why it cannot. Static, so its
/// hash in the Content-Security-Policy is fixed; scripts whose integrity check or
/// download failed do not run, which is how it tells.
const INLINE_SCRIPT: &str = r#"
(function () {
  var root = document.getElementById('graphiql');
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.hidden = true;
    document.getElementById('assets-failed').hidden = false;
    return;
  }
  // Subscriptions go over /graphql/ws, one connection per Authorization
  // header typed in the headers editor (sent in `connection_init`).
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
  var sockets = {};
  function socketFor(auth) {
    if (!window.graphqlWs) return undefined;
    if (!sockets[auth]) {
      sockets[auth] = graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams: auth ? { authorization: auth } : {} });
    }
    return sockets[auth];
  }
  var fetcher = function (params, opts) {
    var headers = (opts && opts.headers) || {};
    var auth = headers.Authorization || headers.authorization || '';
    return GraphiQL.createFetcher({ url: '/graphql', wsClient: socketFor(auth) })(params, opts);
  };
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
"#;

/// The rendered page and the Content-Security-Policy it needs.
#[derive(Clone, Debug)]
pub struct Page {
    /// The HTML.
    pub html: String,
    /// The `Content-Security-Policy` header value for it.
    pub content_security_policy: String,
}

impl Page {
    /// The page loading its assets from `assets_base` (an http(s) URL without a
    /// trailing slash, as `Settings` keeps `GRAPHIQL_ASSETS_URL`).
    pub fn new(assets_base: &str) -> Self {
        let base = escape(assets_base);
        let script = |a: Asset| format!(r#"<script src="{base}{}" integrity="{}" crossorigin="anonymous"></script>"#, a.path, a.integrity);
        let html = format!(
            r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>civic-graph · GraphiQL</title>
<link rel="stylesheet" href="{base}{css}" integrity="{css_integrity}" crossorigin="anonymous">
</head>
<body style="margin:0;height:100vh">
<div id="graphiql" style="height:100vh">Loading GraphiQL…</div>
<div id="assets-failed" hidden style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>GraphiQL could not be loaded</h1>
<p>Its scripts and styles come from <code>{base}</code>, which this browser could not reach
(or which served files that do not match their pinned integrity hashes).
Point <code>GRAPHIQL_ASSETS_URL</code> at a copy of the npm packages
<code>react@18.3.1</code>, <code>react-dom@18.3.1</code>, <code>graphiql@3.8.3</code> and <code>graphql-ws@5.16.2</code> that this browser can reach.</p>
<p>The API itself works: send GraphQL requests to <code>/graphql</code>.</p>
</div>
{react}
{react_dom}
{graphiql}
{graphql_ws}
<script>{INLINE_SCRIPT}</script>
</body>
</html>
"#,
            css = GRAPHIQL_CSS.path,
            css_integrity = GRAPHIQL_CSS.integrity,
            react = script(REACT),
            react_dom = script(REACT_DOM),
            graphiql = script(GRAPHIQL_JS),
            graphql_ws = script(GRAPHQL_WS),
        );
        let script_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT.as_bytes()));
        // A source ending in `/` matches every path below it. Styles: GraphiQL and
        // CodeMirror set inline style attributes and elements, hence 'unsafe-inline'
        // for styles only (scripts stay hash- and origin-bound).
        let source = format!("{assets_base}/");
        let content_security_policy = format!(
            "default-src 'none'; script-src {source} 'sha256-{script_hash}'; style-src {source} 'unsafe-inline'; \
             img-src 'self' data:; font-src {source} data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'"
        );
        Self { html, content_security_policy }
    }
}

/// Escapes text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `GET /`: GraphiQL when `GRAPHIQL` is on, else the usual 404.
pub async fn graphiql(state: web::Data<AppState>) -> HttpResponse {
    match &state.graphiql {
        Some(page) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, page.content_security_policy.as_str()))
            .body(page.html.clone()),
        None => crate::app::not_found().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_pins_every_asset_with_its_integrity_under_the_base_url() {
        let page = Page::new("https://assets.example.org/npm");
        for asset in [REACT, REACT_DOM, GRAPHIQL_JS, GRAPHIQL_CSS, GRAPHQL_WS] {
            let url = format!("https://assets.example.org/npm{}", asset.path);
            assert!(page.html.contains(&format!(r#"{url}" integrity="{}" crossorigin="anonymous""#, asset.integrity)), "{url}");
            assert!(asset.integrity.starts_with("sha384-") && asset.integrity.len() == 71, "{}", asset.integrity);
        }
        assert!(!page.html.contains(".development."), "production builds only");
        assert!(page.content_security_policy.contains("script-src https://assets.example.org/npm/ 'sha256-"));
        assert!(page.content_security_policy.contains("frame-ancestors 'none'"));
        assert!(!page.content_security_policy.contains("unsafe-eval"));
    }

    #[test]
    fn the_inline_script_hash_in_the_policy_is_the_scripts() {
        let page = Page::new("https://unpkg.com");
        let inline = page.html.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).unwrap_or_default();
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(inline.as_bytes()));
        assert!(page.content_security_policy.contains(&format!("'sha256-{hash}'")));
    }
}
