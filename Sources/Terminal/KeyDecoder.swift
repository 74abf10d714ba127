import CNCurses
import Cells

/// Turns what `get_wch` returns into `Key`s.
enum KeyDecoder {
    /// A character read with `get_wch` returning OK.
    static func character(_ value: UInt32) -> Key? {
        switch value {
        case 13, 10: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26:
            guard let scalar = Unicode.Scalar(value + 96) else { return nil }
            return .control(Character(scalar))
        case 0..<32: return .unknown(Int32(value))
        default:
            guard let scalar = Unicode.Scalar(value) else {
                return .unknown(Int32(bitPattern: value))
            }
            return .character(Character(scalar))
        }
    }

    /// A key code read with `get_wch` returning KEY_CODE_YES (mouse and
    /// resize are handled by the caller).
    static func keyCode(_ code: Int32) -> Key {
        switch code {
        case Int32(KEY_UP): return .up
        case Int32(KEY_DOWN): return .down
        case Int32(KEY_LEFT): return .left
        case Int32(KEY_RIGHT): return .right
        case Int32(KEY_HOME): return .home
        case Int32(KEY_END): return .end
        case Int32(KEY_PPAGE): return .pageUp
        case Int32(KEY_NPAGE): return .pageDown
        case Int32(KEY_IC): return .insert
        case Int32(KEY_DC): return .delete
        case Int32(KEY_BACKSPACE): return .backspace
        case Int32(KEY_BTAB): return .backTab
        case Int32(KEY_ENTER): return .enter
        case cnc_key_resize(): return .resize
        default:
            let f0 = cnc_key_f0()
            if code > f0, code <= f0 + 12 { return .function(Int(code - f0)) }
            return .unknown(code)
        }
    }
}
