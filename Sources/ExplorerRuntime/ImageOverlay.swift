import Cells
import Explorer
import Graphics
import PicseekCore

/// Draws a frame's pictures (`Frame.images`) over the cells ncurses drew:
/// sixel images, kitty images placed directly, iTerm2 inline images, or
/// 24-bit half blocks where ncurses has only 256 colours.
///
/// Pictures are fitted once per photo and size, and what goes to the terminal
/// is cached, so scrolling back and redrawing do not encode again. Sixel
/// thumbnails go out as one image per row of tiles (transparent between the
/// tiles), because terminals keep only so many sixel images on screen (xterm:
/// 32, the oldest vanish first).
///
/// What a picture leaves behind decides the bookkeeping: kitty placements are
/// deleted by number; sixel and iTerm2 pixels stay until the screen is cleared,
/// so a frame in which one goes away or moves clears and repaints the screen
/// (`needsClear`); 24-bit half blocks are cells ncurses rewrites itself.
public final class ImageOverlay {
    /// How pictures reach the terminal.
    public enum Method: Equatable {
        /// Sixel images with at most this many colour registers.
        case sixel(colorRegisters: Int)
        /// Kitty graphics, each image placed at its cell.
        case kittyDirect
        /// iTerm2 inline images (OSC 1337).
        case iterm2
        /// 24-bit half-block cells written around ncurses.
        case truecolorCells
    }

    /// What is sent as one image: a placement, or a row of sixel thumbnails.
    private struct Unit: Hashable {
        var rect: Rect
        var members: [ImagePlacement]

        /// The same pictures at the same spots relative to the unit: equal
        /// content wherever the unit is on screen.
        var contentKey: [Int64] {
            members.flatMap {
                [
                    $0.photoID, Int64($0.rect.column - rect.column), Int64($0.rect.rows),
                    Int64($0.rect.columns), $0.kind == .preview ? 1 : 0, Int64($0.marks),
                ]
            }
        }
    }

    /// A picture fitted into its rectangle's pixels, centred by whole cells.
    private struct Fitted {
        var pixels: [UInt8]
        var width: Int
        var height: Int
        var rowOffset: Int
        var columnOffset: Int
    }

    private struct FitKey: Hashable {
        var photoID: Int64
        var kind: ImagePlacement.Kind
        var columns: Int
        var rows: Int
        var marks: Int
    }

    /// Bytes for one unit: the image, or for kitty the number it was sent as.
    private struct Encoded {
        var bytes: [UInt8]
        var kittyID: Int?
    }

    /// How pictures reach the terminal.
    public let method: Method
    /// The size of one cell in pixels.
    public let cell: PixelSize
    /// The largest sixel image the terminal draws (XTSMGRAPHICS; xterm's default is
    /// 1000×1000 and it drops a larger one whole): rows of thumbnails are sent as several
    /// images no wider, and a picture is fitted within it. Nil when the terminal did not say.
    public let sixelMaximum: PixelSize?
    private var shown: [Unit] = []
    private var fitted: [FitKey: Fitted] = [:]
    private var fittedOrder: [FitKey] = []
    private var encoded: [[Int64]: Encoded] = [:]
    private var encodedOrder: [[Int64]] = []
    private let cacheLimit = 400
    private var nextKittyID = 1000
    private var pendingFrees: [Int] = []
    private var pendingTransmits: [UInt8] = []
    private var sixelEncoder = SixelEncoder()

    /// Creates an overlay drawing with `method` for cells of `cell` pixels; sixel images
    /// stay within `sixelMaximum` when it is given.
    public init(method: Method, cell: PixelSize, sixelMaximum: PixelSize? = nil) {
        self.method = method
        self.cell = cell
        self.sixelMaximum = sixelMaximum
    }

    /// How many images are encoded and cached.
    public var cachedCount: Int { encoded.count }

    /// Whether the screen must be cleared before `placements` are drawn: a
    /// sixel or iTerm2 picture on screen is not among them any more.
    public func needsClear(for placements: [ImagePlacement]) -> Bool {
        switch method {
        case .sixel, .iterm2:
            let next = Set(units(placements))
            return shown.contains { !next.contains($0) }
        case .kittyDirect, .truecolorCells:
            return false
        }
    }

    /// The bytes that bring the terminal from the pictures shown last to
    /// `placements`, after ncurses drew `current` (`previous` being the cells
    /// of the frame before; every picture is sent again when `repaintedAll`).
    public func paint(
        _ placements: [ImagePlacement], state: AppState, previous: CellBuffer?, current: CellBuffer,
        repaintedAll: Bool
    ) -> [UInt8] {
        var out: [UInt8] = []
        let next = units(placements)
        let nextSet = Set(next)
        if method == .kittyDirect {
            for gone in shown where !nextSet.contains(gone) {
                if let id = encoded[gone.contentKey]?.kittyID {
                    out += Array(
                        KittyGraphics.delete(id: id, placement: placementNumber(gone.rect)).utf8)
                }
            }
            for id in pendingFrees {
                out += Array(KittyGraphics.delete(id: id, placement: nil, free: true).utf8)
            }
            pendingFrees.removeAll()
        }
        let before = Set(shown)
        for unit in next {
            let isNew = !before.contains(unit)
            guard repaintedAll || isNew || cellsChanged(unit.rect, previous, current),
                let made = encode(unit, state)
            else { continue }
            out += pendingTransmits
            pendingTransmits.removeAll()
            out += Array("\u{1B}[\(unit.rect.row + 1);\(unit.rect.column + 1)H".utf8)
            if let id = made.kittyID {
                out += Array(
                    KittyGraphics.place(id: id, placement: placementNumber(unit.rect)).utf8)
            } else {
                out += made.bytes
            }
        }
        shown = next
        return out
    }

    /// What to send on leaving: kitty images are deleted (sixel and iTerm2
    /// pictures go with the alternate screen).
    public func finish() -> [UInt8] {
        method == .kittyDirect && !encoded.isEmpty ? Array(KittyGraphics.deleteAll.utf8) : []
    }

    /// Encodes what `placements` need that is not cached yet; the number of
    /// images encoded (for `picseek bench render`).
    @discardableResult
    public func prepare(_ placements: [ImagePlacement], state: AppState) -> Int {
        let before = encoded.count
        for unit in units(placements) { _ = encode(unit, state) }
        pendingTransmits.removeAll()
        return encoded.count - before
    }

    /// Placements grouped into what is sent as one image.
    private func units(_ placements: [ImagePlacement]) -> [Unit] {
        guard case .sixel = method else {
            return placements.map { Unit(rect: $0.rect, members: [$0]) }
        }
        var rows: [Int: [ImagePlacement]] = [:]
        var units: [Unit] = []
        for placement in placements {
            if placement.kind == .thumbnail {
                rows[placement.rect.row, default: []].append(placement)
            } else {
                units.append(Unit(rect: placement.rect, members: [placement]))
            }
        }
        for (_, row) in rows.sorted(by: { $0.key < $1.key }) {
            for members in sixelImages(row.sorted { $0.rect.column < $1.rect.column }) {
                let left = members.map(\.rect.column).min() ?? 0
                let right = members.map(\.rect.right).max() ?? 0
                let height = members.map(\.rect.rows).max() ?? 0
                let rect = Rect(
                    row: members[0].rect.row, column: left, rows: height, columns: right - left)
                units.append(Unit(rect: rect, members: members))
            }
        }
        return units
    }

    /// A row of tiles (left to right) cut into runs that each make an image no wider than
    /// `sixelMaximum` (a tile wider than that alone is one run; `fit` keeps its picture
    /// within the limit).
    private func sixelImages(_ row: [ImagePlacement]) -> [[ImagePlacement]] {
        guard let limit = sixelMaximum?.width else { return row.isEmpty ? [] : [row] }
        var runs: [[ImagePlacement]] = []
        for placement in row {
            if let first = runs.last?.first,
                (placement.rect.right - first.rect.column) * cell.width <= limit
            {
                runs[runs.count - 1].append(placement)
            } else {
                runs.append([placement])
            }
        }
        return runs
    }

    /// Kitty placement numbers: one per screen position.
    private func placementNumber(_ rect: Rect) -> Int {
        1 + rect.row * 1000 + rect.column
    }

    private func cellsChanged(_ rect: Rect, _ previous: CellBuffer?, _ current: CellBuffer) -> Bool
    {
        guard let previous, previous.rows == current.rows, previous.columns == current.columns
        else {
            return true
        }
        for r in rect.row..<min(rect.bottom, current.rows) {
            let base = r * current.columns
            for c in rect.column..<min(rect.right, current.columns)
            where previous.cells[base + c] != current.cells[base + c] {
                return true
            }
        }
        return false
    }

    private func encode(_ unit: Unit, _ state: AppState) -> Encoded? {
        let key = unit.contentKey
        if let hit = encoded[key] { return hit }
        guard let made = make(unit, state) else { return nil }
        encoded[key] = made
        encodedOrder.append(key)
        if encodedOrder.count > cacheLimit {
            let old = encodedOrder.removeFirst()
            if let id = encoded.removeValue(forKey: old)?.kittyID { pendingFrees.append(id) }
        }
        return made
    }

    private func make(_ unit: Unit, _ state: AppState) -> Encoded? {
        if case .sixel(let registers) = method {
            // Each picture at its cell inside the unit; the image starts at the first
            // picture's cell (a cursor move gets there) and ends with the last, so it is
            // no larger than its pictures (and `sixelMaximum`).
            var cells: [(fit: Fitted, column: Int, row: Int)] = []
            for member in unit.members {
                guard let fit = fit(member, state) else { continue }
                cells.append(
                    (
                        fit, member.rect.column - unit.rect.column + fit.columnOffset,
                        member.rect.row - unit.rect.row + fit.rowOffset
                    ))
            }
            guard let left = cells.map(\.column).min(), let top = cells.map(\.row).min()
            else { return nil }
            let pieces = cells.map { c in
                SixelPiece(
                    pixels: c.fit.pixels, width: c.fit.width, height: c.fit.height,
                    x: (c.column - left) * cell.width, y: (c.row - top) * cell.height)
            }
            var move = ""
            if top > 0 { move += "\u{1B}[\(top)B" }
            if left > 0 { move += "\u{1B}[\(left)C" }
            let bytes = sixelEncoder.encodeComposite(
                pieces, width: pieces.map { $0.x + $0.width }.max() ?? 0,
                height: pieces.map { $0.y + $0.height }.max() ?? 0,
                colors: max(2, min(256, registers)))
            return Encoded(bytes: Array(move.utf8) + bytes, kittyID: nil)
        }
        guard let placement = unit.members.first, let image = state.image(for: placement) else {
            return nil
        }
        if method == .truecolorCells {
            return Encoded(bytes: halfBlocks(image, placement.rect, state), kittyID: nil)
        }
        guard let fit = fit(placement, state) else { return nil }
        // Move to the picture's cell inside the rectangle (relative, so the
        // bytes serve wherever the rectangle is).
        var move = ""
        if fit.rowOffset > 0 { move += "\u{1B}[\(fit.rowOffset)B" }
        if fit.columnOffset > 0 { move += "\u{1B}[\(fit.columnOffset)C" }
        switch method {
        case .iterm2:
            let columns = (fit.width + cell.width - 1) / cell.width
            let rows = (fit.height + cell.height - 1) / cell.height
            let bytes = ITerm2Image.sequence(
                pixels: fit.pixels, width: fit.width, height: fit.height, columns: columns,
                rows: rows)
            return Encoded(bytes: Array(move.utf8) + bytes, kittyID: nil)
        case .kittyDirect:
            let id = nextKittyID
            nextKittyID += 1
            pendingTransmits += Array(
                KittyGraphics.transmitOnly(
                    id: id, pixels: fit.pixels, width: fit.width, height: fit.height
                ).utf8)
            // Placed at the rectangle's corner, shifted inside it by cells.
            return Encoded(bytes: Array(move.utf8), kittyID: id)
        case .sixel, .truecolorCells:
            return nil
        }
    }

    /// `placement`'s picture fitted (aspect kept) into its rectangle's pixels.
    private func fit(_ placement: ImagePlacement, _ state: AppState) -> Fitted? {
        let key = FitKey(
            photoID: placement.photoID, kind: placement.kind, columns: placement.rect.columns,
            rows: placement.rect.rows, marks: placement.marks)
        if let hit = fitted[key] { return hit }
        guard let image = state.image(for: placement), image.width > 0, image.height > 0 else {
            return nil
        }
        let rect = placement.rect
        var boxWidth = rect.columns * cell.width
        var boxHeight = rect.rows * cell.height
        if case .sixel = method, let limit = sixelMaximum {
            boxWidth = min(boxWidth, limit.width)
            boxHeight = min(boxHeight, limit.height)
        }
        guard boxWidth > 0, boxHeight > 0 else { return nil }
        var width = boxWidth
        var height = max(1, (image.height * boxWidth + image.width / 2) / image.width)
        if height > boxHeight {
            height = boxHeight
            width = max(
                1, min(boxWidth, (image.width * boxHeight + image.height / 2) / image.height))
        }
        let pixels =
            width == image.width && height == image.height
            ? image.pixels : Thumbnail.resample(image, width: width, height: height)
        let columns = (width + cell.width - 1) / cell.width
        let rows = (height + cell.height - 1) / cell.height
        let made = Fitted(
            pixels: pixels, width: width, height: height, rowOffset: (rect.rows - rows) / 2,
            columnOffset: (rect.columns - columns) / 2)
        fitted[key] = made
        fittedOrder.append(key)
        if fittedOrder.count > cacheLimit { fitted.removeValue(forKey: fittedOrder.removeFirst()) }
        return made
    }

    /// 24-bit half blocks for `rect`, as SGR sequences and relative moves.
    private func halfBlocks(_ image: RGBImage, _ rect: Rect, _ state: AppState) -> [UInt8] {
        var cells = CellBuffer(rows: rect.rows, columns: rect.columns, style: state.theme[.text])
        let local = Rect(row: 0, column: 0, rows: rect.rows, columns: rect.columns)
        Thumbnail.draw(
            image, into: &cells, rect: local, mode: .truecolor, background: state.theme[.text])
        var out = ""
        for r in 0..<rect.rows {
            if r > 0 { out += "\u{1B}[\(rect.columns)D\u{1B}[B" }
            for c in 0..<rect.columns {
                let cell = cells[r, c]
                out +=
                    "\u{1B}[0;" + sgr(cell.style.foreground, base: 38) + ";"
                    + sgr(cell.style.background, base: 48) + "m"
                out.append(cell.character)
            }
        }
        out += "\u{1B}[0m"
        return Array(out.utf8)
    }

    private func sgr(_ color: Color, base: Int) -> String {
        switch color {
        case .default: return "\(base + 1)"
        case .indexed(let i): return "\(base);5;\(i)"
        case .rgb(let r, let g, let b): return "\(base);2;\(r);\(g);\(b)"
        }
    }
}
