import Cells
import Explorer
import Foundation
import PicseekCore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// What the explorer would find out about the terminal, in words: printed by
/// `picseek status` so a user can see which picture mode `auto` picks and why.
public enum TerminalReport {
    /// Asks the controlling terminal (`/dev/tty`) and describes the answers.
    public static func lines(environment: [String: String]) -> [String] {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var capabilities = TerminalCapabilities()
        if fd >= 0 {
            capabilities = TerminalProbe.run(input: fd, output: fd, environment: environment)
            close(fd)
        } else {
            capabilities.insideTmux = environment["TMUX"] != nil
        }
        return describe(
            capabilities, environment: environment,
            colors: TerminalInfo.colors(term: environment["TERM"]),
            reachable: fd >= 0)
    }

    /// The report for answers already collected (`colors`: terminfo's count
    /// for `TERM`, 0 when unknown). Pure.
    public static func describe(
        _ capabilities: TerminalCapabilities, environment: [String: String], colors: Int,
        reachable: Bool = true
    ) -> [String] {
        var lines = ["terminal:"]
        for name in ["TERM", "COLORTERM", "NO_COLOR", "TMUX"] {
            lines.append(
                "  \(name): " + (environment[name].map { TerminalSafe.escape($0) } ?? "(not set)"))
        }
        if let term = environment["TERM"], !term.isEmpty {
            lines.append(
                "  colours (terminfo): "
                    + (colors > 0 ? "\(colors)" : "unknown (no terminfo entry)"))
        }
        if capabilities.insideTmux {
            lines.append("  inside tmux (pictures need allow-passthrough on)")
        }
        if capabilities.insideScreen { lines.append("  inside GNU screen: half blocks only") }
        if !reachable {
            lines.append("  not asked: no controlling terminal")
        } else if !capabilities.probed {
            lines.append("  not asked (TERM says it would not understand the questions)")
        } else if !capabilities.answered {
            lines.append("  did not answer within 150 ms")
        }
        if let version = capabilities.version {
            lines.append("  calls itself: \(TerminalSafe.escape(version))")
        }
        var graphics: [String] = []
        if capabilities.kittyGraphics { graphics.append("kitty graphics") }
        if capabilities.sixel {
            var text = "sixel"
            if let registers = capabilities.sixelColorRegisters {
                text += " (\(registers) colour registers)"
            }
            graphics.append(text)
        }
        lines.append(
            "  pixel graphics: "
                + (graphics.isEmpty ? "none answered" : graphics.joined(separator: ", ")))
        if let cell = capabilities.cellPixels {
            lines.append("  cell: \(cell.width)x\(cell.height) pixels")
        } else {
            lines.append("  cell size in pixels: unknown")
        }
        if let bg = capabilities.background {
            let light = capabilities.lightBackground(environment: environment) == true
            let hex = String(format: "#%02x%02x%02x", bg.red, bg.green, bg.blue)
            let meaning = light ? "light: theme auto is light" : "dark: theme auto is default"
            lines.append("  background: \(hex) (\(meaning))")
        } else if let light = capabilities.lightBackground(environment: environment) {
            lines.append("  background: \(light ? "light" : "dark") (COLORFGBG)")
        } else {
            lines.append("  background: unknown (theme auto is default)")
        }
        let choice = GraphicsMode.automatic(
            capabilities: capabilities, environment: environment, screenColors: colors)
        var mode = choice.mode.rawValue
        if choice.mode == .kitty {
            mode +=
                GraphicsMode.kittyUsesPlaceholders(capabilities: capabilities)
                ? " (Unicode placeholders)" : " (placed directly)"
        }
        lines.append("  explorer pictures (--graphics auto): \(mode), because \(choice.reason)")
        return lines
    }
}
