package io.agentbilling.core.access;

/** A member's role in an organization. Admins may spend money (top up) and read every member's usage. */
public enum Role {
    ADMIN("admin"),
    MEMBER("member");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role: " + name);
    }
}
