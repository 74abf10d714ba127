/// Number formatting for the view, without Foundation (stable across platforms).
enum Format {
    /// `value` with `decimals` digits after the point, rounded half away from zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var out = (negative && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(scaled % Int64(scale))
            out += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return out
    }

    /// A similarity score, e.g. "0.31".
    static func score(_ value: Float) -> String { fixed(Double(value), decimals: 2) }

    /// Bytes as "812 B", "4.2 KB", "2.4 MB", "1.1 GB" (powers of 1024).
    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        var value = Double(count) / 1024
        for unit in ["KB", "MB", "GB"] {
            if value < 1024 || unit == "GB" { return fixed(value, decimals: 1) + " " + unit }
            value /= 1024
        }
        return "\(count) B"
    }

    /// Seconds as "m:ss" or "h:mm:ss".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(seconds.rounded())
        let h = total / 3600
        let m = (total % 3600) / 60
        let s = total % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + ss }
        return "\(m):" + ss
    }

    /// An integer with thin grouping: 12345 → "12,345".
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
