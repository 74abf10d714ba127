/// Lloyd's k-means on a colour histogram: each histogram cell goes to its nearest palette
/// colour, each colour moves to the mean of the pixels it got. Started from Wu's boxes it
/// lowers the squared error further; `Sixel` runs a fixed number of rounds.
enum KMeans {
    /// `palette` (r, g, b each 0...255) after `rounds` rounds over `cells` (pixel count and
    /// r, g, b sums, four numbers a cell). Colours that get no cell stay where they were.
    static func refine(
        palette: [(r: Int, g: Int, b: Int)], cells: [Int64], rounds: Int
    ) -> [(r: Int, g: Int, b: Int)] {
        var palette = palette
        let k = palette.count
        if k == 0 || cells.isEmpty { return palette }
        var sums = [Int64](repeating: 0, count: 4 * k)
        for _ in 0..<rounds {
            var shown: [Int32] = []
            shown.reserveCapacity(3 * k)
            for c in palette { shown += [Int32(c.r), Int32(c.g), Int32(c.b)] }
            let search = NearestSearch(shown: shown)
            sums.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            cells.withUnsafeBufferPointer { cells in
                search.sorted.withUnsafeBufferPointer { sorted in
                    search.start.withUnsafeBufferPointer { start in
                        sums.withUnsafeMutableBufferPointer { sums in
                            var i = 0
                            while i < cells.count {
                                let w = cells[i]
                                let r = Int32((cells[i + 1] + w / 2) / w)
                                let g = Int32((cells[i + 2] + w / 2) / w)
                                let b = Int32((cells[i + 3] + w / 2) / w)
                                let j = NearestSearch.nearest(r, g, b, sorted, start, k)
                                sums[4 * j] += w
                                sums[4 * j + 1] += cells[i + 1]
                                sums[4 * j + 2] += cells[i + 2]
                                sums[4 * j + 3] += cells[i + 3]
                                i += 4
                            }
                        }
                    }
                }
            }
            for j in 0..<k where sums[4 * j] > 0 {
                let w = sums[4 * j]
                palette[j] = (
                    r: Int((sums[4 * j + 1] + w / 2) / w), g: Int((sums[4 * j + 2] + w / 2) / w),
                    b: Int((sums[4 * j + 3] + w / 2) / w)
                )
            }
        }
        return palette
    }
}
