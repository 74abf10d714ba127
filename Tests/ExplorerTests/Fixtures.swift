import Cells
import PicseekCore

@testable import Explorer

/// Builders for explorer tests: states, hits and small generated images.
enum Fixtures {
    /// A 4x4 image: top half white, bottom half black.
    static let whiteOverBlack: RGBImage = {
        var pixels: [UInt8] = []
        for y in 0..<4 {
            for _ in 0..<4 { pixels += y < 2 ? [255, 255, 255] : [0, 0, 0] }
        }
        return RGBImage(width: 4, height: 4, pixels: pixels)
    }()

    /// A horizontal gradient of `width` x `height` from black to white.
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width {
                let v = UInt8(x * 255 / max(1, width - 1))
                pixels += [v, v, v]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// `count` hits with descending scores and paths `/photos/img_NN.jpg`.
    static func hits(_ count: Int, thumbnail: RGBImage? = nil) -> [Hit] {
        (0..<count).map { i in
            Hit(
                photoID: Int64(i + 1), path: "/photos/img_\(i < 10 ? "0" : "")\(i).jpg",
                score: 0.40 - Float(i) * 0.01, thumbnail: thumbnail)
        }
    }

    static let summary = IndexSummary(
        photos: 120, errors: 2, modelName: "test-clip", roots: ["/photos"])

    /// A monochrome, ASCII-graphics state with a loaded summary.
    static func state(rows: Int = 16, columns: Int = 60) -> AppState {
        var state = AppState(rows: rows, columns: columns, theme: .monochrome, graphics: .ascii)
        state.summary = summary
        return state
    }

    /// Applies messages in order, returning all effects.
    @discardableResult
    static func send(_ state: inout AppState, _ msgs: Msg...) -> [Effect] {
        msgs.flatMap { update(&state, $0) }
    }

    /// Key messages for typing `text` one grapheme at a time.
    static func typing(_ text: String) -> [Msg] {
        text.map { .keyPressed(.character($0)) }
    }
}

extension Fixtures {
    /// Applies an array of messages in order, returning all effects.
    @discardableResult
    static func send(_ state: inout AppState, msgs: [Msg]) -> [Effect] {
        msgs.flatMap { update(&state, $0) }
    }
}
