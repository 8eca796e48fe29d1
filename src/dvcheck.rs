//! The DV readiness probe: fetch each fullPath the way Let's Encrypt starts (issue 6).
