import Foundation
import Testing

@testable import Cells

@Suite("kitty graphics")
struct KittyGraphicsTests {
    @Test("a placeholder cell is U+10EEEE with row and column marks, one column wide")
    func placeholder() throws {
        let cell = try #require(KittyGraphics.cell(row: 0, column: 2))
        #expect(cell.unicodeScalars.map(\.value) == [0x10EEEE, 0x0305, 0x030E])
        #expect(DisplayWidth.of(cell) == 1)
        #expect(KittyGraphics.cell(row: 64, column: 0) == nil)
        var buffer = CellBuffer(rows: 1, columns: 3)
        buffer.setNarrow(row: 0, column: 1, cell, .plain)
        #expect(buffer[0, 1].character == cell && !buffer[0, 2].isContinuation)
    }

    @Test("transmission is chunked at 4096 base64 bytes, first chunk carries the keys")
    func transmit() {
        let pixels = [UInt8](repeating: 7, count: 3 * 2000) // 8000 base64 bytes
        let text = KittyGraphics.transmit(
            id: 9, pixels: pixels, width: 50, height: 40, columns: 12, rows: 6, tmux: false)
        let commands = text.components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        #expect(commands.count == 2)
        #expect(commands[0].hasPrefix("\u{1B}_Ga=T,U=1,i=9,f=24,s=50,v=40,c=12,r=6,q=2,m=1;"))
        #expect(commands[1].hasPrefix("\u{1B}_Gm=0;"))
        #expect(
            commands[0].count - commands[0].firstIndex(of: ";")!.utf16Offset(in: commands[0]) - 1
                == 4096)
    }

    @Test("inside tmux each command is wrapped for passthrough with ESC doubled")
    func tmuxWrap() {
        #expect(
            KittyGraphics.wrapForTmux("\u{1B}_Gm=0;\u{1B}\\")
                == "\u{1B}Ptmux;\u{1B}\u{1B}_Gm=0;\u{1B}\u{1B}\\\u{1B}\\")
    }

    @Test(
        "direct placement: pixels sent once without showing them, placed at the cursor, deleted by number"
    )
    func directPlacement() {
        // 3600 bytes: 4800 base64, two chunks
        let pixels = [UInt8](repeating: 7, count: 40 * 30 * 3)
        let sent = KittyGraphics.transmitOnly(id: 1001, pixels: pixels, width: 40, height: 30)
        let commands = sent.components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        #expect(commands.count == 2)
        #expect(commands[0].hasPrefix("\u{1B}_Ga=t,i=1001,f=24,s=40,v=30,q=2,m=1;"))
        #expect(commands[1].hasPrefix("\u{1B}_Gm=0;"))
        let payload = commands.map {
            $0.split(separator: ";", maxSplits: 1).last.map(String.init) ?? ""
        }.joined()
        #expect(payload == OSC52.base64(pixels))
        #expect(
            KittyGraphics.place(id: 1001, placement: 5) == "\u{1B}_Ga=p,i=1001,p=5,C=1,q=2\u{1B}\\")
        #expect(
            KittyGraphics.delete(id: 1001, placement: 5) == "\u{1B}_Ga=d,d=i,i=1001,p=5,q=2\u{1B}\\"
        )
        #expect(
            KittyGraphics.delete(id: 1001, placement: nil, free: true)
                == "\u{1B}_Ga=d,d=I,i=1001,q=2\u{1B}\\")
        #expect(KittyGraphics.deleteAll == "\u{1B}_Ga=d,d=A,q=2\u{1B}\\")
    }
}
