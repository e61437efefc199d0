"""The lists the risk classifiers use, and how users extend them through rule options.

Written in any ranked rule's table, e.g.

    [rules.RT001]
    constant-constructors = ["Template::compile"]   # constant when all their arguments are literals
    infallible-calls = ["Buffer::push_str"]          # calls whose unwrap can never fail
    external-sources = ["myapp::wire::read_frame"]   # calls whose result comes from outside

Entries match a call path by its last segments (`Regex::new` matches `regex::Regex::new`) or a
method by name (`read_frame`). The lists of every ranked rule are merged: the classifier is one per
run, so a constructor taught once applies to RT001, RT002 and RT510 alike.
"""

from __future__ import annotations

from typing import Any

import msgspec

OPTION_NAMES = ("constant-constructors", "infallible-calls", "external-sources")

# Constructors whose result depends only on their arguments: with literal/const arguments they fail on
# every run (caught by the first test) or never.
CONSTANT_CONSTRUCTORS = (
    "Regex::new", "RegexBuilder::new", "RegexSet::new", "bytes::Regex::new", "Regex::from_str",
    "NonZeroUsize::new", "NonZeroU8::new", "NonZeroU16::new", "NonZeroU32::new", "NonZeroU64::new",
    "NonZeroI32::new", "NonZeroI64::new", "NonZeroU128::new", "NonZero::new",
    "HeaderValue::from_static", "HeaderValue::from_str", "HeaderName::from_static", "HeaderName::from_str",
    "Url::parse", "Uri::from_static", "Uri::from_str", "Method::from_bytes", "StatusCode::from_u16",
    "Version::parse", "VersionReq::parse", "Layout::from_size_align", "Layout::array", "char::from_u32",
    "char::from_digit", "CString::new", "CStr::from_bytes_with_nul", "str::from_utf8", "String::from_utf8",
    "Duration::from_std", "NaiveDate::from_ymd_opt", "NaiveTime::from_hms_opt", "Glob::new", "Pattern::new",
    "SocketAddr::from_str", "IpAddr::from_str", "Ipv4Addr::from_str", "Level::from_str", "EnvFilter::try_new",
    "ProgressStyle::with_template", "Selector::parse", "Tera::new", "mime::Mime::from_str", "Mime::from_str",
)
# Calls whose result cannot be an error, whatever their input.
INFALLIBLE_CALLS = ("String::from_str", "PathBuf::from_str", "OsString::from_str")
# Where outside data enters: environment, arguments, files, network, processes, deserialisation, clock.
EXTERNAL_SOURCES = (
    "env::var", "env::var_os", "env::args", "env::args_os", "env::current_dir", "env::current_exe",
    "env::home_dir", "std::env::var", "dotenv::var", "dotenvy::var",
    "fs::read", "fs::read_to_string", "fs::read_dir", "fs::metadata", "fs::write", "fs::create_dir",
    "fs::create_dir_all", "fs::remove_file", "fs::remove_dir_all", "fs::copy", "fs::rename", "fs::canonicalize",
    "fs::symlink_metadata", "File::open", "File::create", "OpenOptions::open", "tempfile", "tempdir",
    "TcpStream::connect", "TcpListener::bind", "UdpSocket::bind", "UnixStream::connect", "UnixListener::bind",
    "Command::new", "io::stdin", "stdin", "SystemTime::now", "Instant::duration_since",
    "serde_json::from_str", "serde_json::from_slice", "serde_json::from_reader", "serde_json::from_value",
    "serde_yaml::from_str", "serde_yaml::from_reader", "toml::from_str", "toml::de::from_str",
    "bincode::deserialize", "rmp_serde::from_slice", "ron::from_str", "csv::Reader::from_path",
    "reqwest::get", "reqwest::blocking::get", "ureq::get", "ureq::post",
)
# Method names that do I/O or decode outside data.
EXTERNAL_METHODS = (
    "read_to_string", "read_to_end", "read_line", "read_exact", "write_all", "flush", "sync_all", "connect",
    "accept", "recv_from", "send_to", "peer_addr", "local_addr", "output", "wait_with_output", "metadata",
    "read_dir", "canonicalize", "json", "text", "execute", "query", "query_one", "fetch_one", "fetch_all",
    "get_result", "elapsed", "duration_since", "deserialize", "from_reader", "open",
)
# Methods that read a lock: `lock()`, `read()`, `write()` without arguments (with arguments: I/O).
LOCK_METHODS = ("lock", "read", "write", "try_lock", "try_read", "try_write")


class RiskLists(msgspec.Struct, frozen=True):
    constant_constructors: tuple[str, ...] = CONSTANT_CONSTRUCTORS
    infallible_calls: tuple[str, ...] = INFALLIBLE_CALLS
    external_sources: tuple[str, ...] = EXTERNAL_SOURCES


def lists_from_options(rule_options: dict[str, dict[str, Any]], ranked: tuple[str, ...]) -> RiskLists:
    """The built-in lists extended with the `constant-constructors`, `infallible-calls` and
    `external-sources` options of every ranked rule (`ranked`: their ids)."""
    extra: dict[str, list[str]] = {name: [] for name in OPTION_NAMES}
    for rule in ranked:
        table = rule_options.get(rule, {})
        for name in OPTION_NAMES:
            value = table.get(name, table.get(name.replace("-", "_"), []))
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                extra[name].extend(str(v).strip() for v in value if str(v).strip())
    return RiskLists(
        CONSTANT_CONSTRUCTORS + tuple(extra["constant-constructors"]),
        INFALLIBLE_CALLS + tuple(extra["infallible-calls"]),
        EXTERNAL_SOURCES + tuple(extra["external-sources"]),
    )


def path_matches(path: str, entries: tuple[str, ...]) -> str | None:
    """The entry naming `path` by its last segments (`regex::Regex::new` ~ `Regex::new`), or None."""
    path = path.replace(" ", "")
    for entry in entries:
        if path == entry or path.endswith("::" + entry):
            return entry
    return None
