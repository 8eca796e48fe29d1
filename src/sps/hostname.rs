//! Hostname checks and internationalised names to punycode (issue 5).
