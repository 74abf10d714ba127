import Foundation
import PicseekCore

/// The systemd user unit that runs `picseek watch`.
///
/// Its folder, its text and the quoting of its command line; the command writes it.
public enum ServiceUnit {
    /// The unit's file name.
    public static let fileName = "picseek-watch.service"

    /// `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`.
    public static func folder(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/systemd/user"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/systemd/user"
    }

    /// Writes the unit running `arguments` into `folder` (created if needed), replacing
    /// any unit there atomically; returns the unit file's path.
    public static func install(arguments: [String], folder: String) throws(ServiceUnitError)
        -> String
    {
        let path = folder + "/" + fileName
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true)
            try Data(text(arguments: arguments).utf8)
                .write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ServiceUnitError(path: path, reason: error.localizedDescription)
        }
        return path
    }

    /// The unit's command line for `picseek watch` with these options: `executable`, `watch`,
    /// the database path (so the unit does not depend on the service's environment), then
    /// the options that differ from their defaults, the reading-words options as given
    /// (`ocr`: `--no-ocr`, `--ocr-languages L`, `--ocr-budget S`) and the folders made
    /// canonical.
    public static func watchArguments(
        executable: String, database: String, model: String?, exclude: [String],
        includeHidden: Bool, rescanMinutes: Double, imagePrecision: String?, folders: [String],
        ocr: [String] = []
    ) throws(TypedPathError) -> [String] {
        var arguments = [executable, "watch", "--db", database]
        if let model { arguments += ["--model", model] }
        for glob in exclude { arguments += ["--exclude", glob] }
        if includeHidden { arguments.append("--include-hidden") }
        if rescanMinutes != 10 { arguments += ["--rescan-minutes", String(rescanMinutes)] }
        if let imagePrecision { arguments += ["--image-precision", imagePrecision] }
        arguments += ocr
        for folder in folders {
            arguments.append(String(decoding: try RawPath.typedFolder(folder), as: UTF8.self))
        }
        return arguments
    }

    /// What to run once the unit at `path` is written, one line each.
    public static func instructions(path: String) -> [String] {
        [
            "wrote \(TerminalSafe.escape(path))",
            "start it now and at every login with:",
            "  systemctl --user daemon-reload",
            "  systemctl --user enable --now picseek-watch",
            "its messages: journalctl --user -u picseek-watch",
        ]
    }

    /// The running executable's resolved path.
    public static func executablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// The unit file running `arguments` (the executable first).
    public static func text(arguments: [String]) -> String {
        """
        [Unit]
        Description=picseek watch: keep the photo index fresh
        Documentation=man:picseek(1)

        [Service]
        Type=exec
        ExecStart=\(arguments.map(quote).joined(separator: " "))
        Restart=on-failure
        RestartSec=30
        Nice=10
        IOSchedulingClass=idle

        [Install]
        WantedBy=default.target

        """
    }

    /// One word of a systemd command line: double-quoted, with `\` and `"` escaped,
    /// `%` doubled (specifiers) and `$` doubled (variable expansion).
    public static func quote(_ word: String) -> String {
        var out = "\""
        for character in word {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "%": out += "%%"
            case "$": out += "$$"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

/// The unit file could not be written.
public struct ServiceUnitError: Error, Equatable, CustomStringConvertible {
    /// The unit file's path.
    public let path: String
    /// The system's reason.
    public let reason: String

    /// `cannot write PATH: REASON`, the path escaped for a terminal.
    public var description: String { "cannot write \(TerminalSafe.escape(path)): \(reason)" }
}
