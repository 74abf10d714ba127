/// The OSC 52 escape sequence that asks the terminal (or tmux, or an SSH
/// client's terminal) to put text on the system clipboard.
public enum OSC52 {
    /// `ESC ] 52 ; c ; <base64 of text> BEL`.
    public static func sequence(copying text: String) -> String {
        sequence(copying: Array(text.utf8))
    }

    /// `ESC ] 52 ; c ; <base64 of bytes> BEL`: the bytes go to the clipboard unchanged.
    public static func sequence(copying bytes: [UInt8]) -> String {
        "\u{1B}]52;c;" + base64(bytes) + "\u{07}"
    }

    /// Standard base64 with padding (RFC 4648).
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out.append(alphabet[n >> 18 & 63])
            out.append(alphabet[n >> 12 & 63])
            out.append(alphabet[n >> 6 & 63])
            out.append(alphabet[n & 63])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = Int(bytes[i]) << 16
            out.append(alphabet[n >> 18 & 63])
            out.append(alphabet[n >> 12 & 63])
            out += "=="
        } else if rest == 2 {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8
            out.append(alphabet[n >> 18 & 63])
            out.append(alphabet[n >> 12 & 63])
            out.append(alphabet[n >> 6 & 63])
            out += "="
        }
        return out
    }
}
