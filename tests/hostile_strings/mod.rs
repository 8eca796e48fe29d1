//! Every hostile string the test suite knows, in one list: what the red-team passes (issues
//! 13 and 27) sent through names, values, error bodies, times and notifications. Each output
//! kind's test (`tests/outputs_hostile.rs`) feeds all of them through its one way out; a new
//! trick found anywhere belongs here, so that every output is held to it.
#![allow(dead_code)]

/// The strings, each with what it tries.
pub const HOSTILE: &[(&str, &str)] = &[
    ("retitle (OSC 0)", "\u{1b}]0;PWNED\u{7}"),
    ("clipboard write (OSC 52)", "\u{1b}]52;c;cm0gLXJmIH4=\u{7}"),
    ("erase screen (CSI 2J)", "\u{1b}[2J"),
    ("OSC ended by ST", "\u{1b}]0;PWNED\u{1b}\\"),
    (
        "tmux passthrough (DCS)",
        "\u{1b}Ptmux;\u{1b}\u{1b}]0;PWNED\u{7}\u{1b}\\",
    ),
    ("C1 CSI", "\u{9b}31mred"),
    ("C1 OSC and ST", "\u{9d}0;PWNED\u{9c}"),
    ("next line (NEL)", "a\u{85}b"),
    ("DEL", "a\u{7f}b"),
    ("bell", "a\u{7}b"),
    ("NUL", "a\u{0}b"),
    ("carriage return over a line", "real\rfake"),
    ("newline", "a\nb"),
    ("tab", "a\tb"),
    ("bidi override", "evil\u{202e}txt.exe"),
    ("bidi isolates", "\u{2066}a\u{2069}\u{2067}b\u{2069}"),
    ("zero width space", "www\u{200b}.example.com"),
    ("byte order mark", "\u{feff}name"),
    ("line separator", "a\u{2028}b\u{2029}c"),
    ("Arabic letter mark", "a\u{61c}b"),
    ("zone: $INCLUDE", "x\n$INCLUDE /etc/shadow"),
    ("zone: NS record", "x\n@ 60 IN NS ns.attacker.test."),
    ("zone: $ORIGIN", "x\n$ORIGIN attacker.test."),
    (
        "zone: spaces make an A record",
        "evil 60 IN A 192.0.2.66 ; _acme-challenge.www.example.com",
    ),
    ("zone: quote break-out", "v\" ) IN A 192.0.2.66 ; \\"),
    ("zone: other name", "_acme-challenge.attacker.test."),
    (
        "web server: rule break-out",
        "ok.example.com\nlocation / { return 200; }",
    ),
    ("shell syntax", "$(rm -rf /) `id` ; | &"),
    ("option-like argument", "-rf --output=/tmp/owned"),
    ("JSON break-out", "\"},{\"injected\":true,\"x\":\""),
    ("backslashes", "\\u{1b}\\\\\\n"),
    ("huge", HUGE),
];

/// Long enough to be cut where a value is shown, short enough for every test.
const HUGE: &str = concat!(
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "\u{1b}]0;PWNED-AT-THE-END\u{7}",
);

/// The strings alone.
pub fn strings() -> impl Iterator<Item = &'static str> {
    HOSTILE.iter().map(|(_, text)| *text)
}

/// True for a byte a terminal acts on: ESC, BEL, any C0 but newline and tab, DEL.
pub fn is_raw_control_byte(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\n' && byte != b'\t') || byte == 0x7f
}
