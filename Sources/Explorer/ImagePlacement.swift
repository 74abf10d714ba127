import Cells
import PicseekCore

/// A picture the terminal draws itself over a rectangle of cells: real pixels
/// (sixel, kitty, iTerm2) or 24-bit half blocks written past ncurses. The view
/// lists them beside the cells; the runtime sends them after each frame.
public struct ImagePlacement: Equatable, Hashable, Sendable {
    /// Which picture of the photo.
    public enum Kind: Equatable, Hashable, Sendable {
        /// The grid's thumbnail (`AppState.thumbnail(for:)`).
        case thumbnail
        /// The detail pane's larger preview (`PhotoDetail.preview`, else the thumbnail).
        case preview
    }

    /// The photo's id in the index.
    public var photoID: Int64
    /// Which picture.
    public var kind: Kind
    /// The cells it may cover; the picture is fitted inside, aspect kept.
    public var rect: Rect
    /// A number for the boxes of matched words drawn on the picture (0: none); it changes
    /// when they do, so the runtime caches each version apart.
    public var marks: Int

    /// Creates a placement.
    public init(photoID: Int64, kind: Kind, rect: Rect, marks: Int = 0) {
        self.photoID = photoID
        self.kind = kind
        self.rect = rect
        self.marks = marks
    }
}

/// One drawn frame: the cells, and the pictures to draw over them.
public struct Frame: Equatable, Sendable {
    /// The cells.
    public var buffer: CellBuffer
    /// Pictures over the cells, in drawing order.
    public var images: [ImagePlacement]
}

extension AppState {
    /// The picture a placement shows, if it is loaded.
    public func image(for placement: ImagePlacement) -> RGBImage? {
        guard let hit = hits.first(where: { $0.photoID == placement.photoID }) ?? selectedHit,
            hit.photoID == placement.photoID
        else { return nil }
        switch placement.kind {
        case .thumbnail: return thumbnail(for: hit)
        case .preview:
            guard let preview = details[hit.photoID]?.preview else { return thumbnail(for: hit) }
            guard placement.marks != 0, let detail = details[hit.photoID] else { return preview }
            return WordsView.drawBoxes(
                on: preview, WordsView.boxes(detail, terms: highlightedWords, in: preview))
        }
    }

    /// Whether pictures are drawn as placements (pixels, or 24-bit half blocks)
    /// rather than by ncurses alone.
    var placesImages: Bool {
        (graphics.drawsPixels && !(graphics == .kitty && kittyPlaceholders))
            || graphics == .truecolor
    }
}
