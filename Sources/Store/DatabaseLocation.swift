/// Where the index database lives when the user does not say.
public enum DatabaseLocation {
    /// The database path: `explicit` (from `--db`) if given, else `$PICSEEK_DB`,
    /// else `$XDG_DATA_HOME/picseek/index.sqlite`, else
    /// `~/.local/share/picseek/index.sqlite`.
    ///
    /// Returns nil only when none of these is set (no `HOME` either).
    public static func resolve(explicit: String?, environment: [String: String]) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["PICSEEK_DB"], !env.isEmpty { return env }
        // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return join(xdg, "picseek/index.sqlite")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return join(home, ".local/share/picseek/index.sqlite")
        }
        return nil
    }

    /// The thumbnail database that goes with the index at `path`:
    /// `x.sqlite` → `x.thumbs.sqlite`, anything else gets `.thumbs` appended.
    public static func thumbnailPath(forIndexAt path: String) -> String {
        if path.hasSuffix(".sqlite") {
            return String(path.dropLast(".sqlite".count)) + ".thumbs.sqlite"
        }
        return path + ".thumbs"
    }

    /// The lock file that admits one indexer at a time: `<path>.lock`.
    public static func lockPath(forIndexAt path: String) -> String { path + ".lock" }

    private static func join(_ dir: String, _ rest: String) -> String {
        dir.hasSuffix("/") ? dir + rest : dir + "/" + rest
    }
}
