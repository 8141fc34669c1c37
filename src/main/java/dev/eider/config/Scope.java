package dev.eider.config;

import java.util.Locale;

/** What an API token may do. {@code admin} implies the other two. */
public enum Scope {
    READ,
    WRITE,
    ADMIN;

    public static Scope parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scope '" + s + "'; allowed: read, write, admin", e);
        }
    }
}
