/// Nearest palette colour by squared RGB distance, searching outward from the query's green
/// value in a palette sorted by green and stopping on each side once the green difference alone
/// is no better than the best found. Exact (the same distance as trying every colour); on photo
/// palettes of 256 colours it looks at a few dozen instead of all.
///
/// `SixelEncoder.nearestNaive` is the plain twin; a test compares them.
struct NearestSearch {
    /// The palette sorted by green, four numbers a colour: g, r, b, register.
    let sorted: [Int32]
    /// For each green value 0...255, the first sorted position whose green is not smaller.
    let start: [Int32]

    /// The search structure for `shown` (packed r, g, b per register).
    init(shown: [Int32]) {
        let k = shown.count / 3
        let order = (0..<k).sorted { (a: Int, b: Int) -> Bool in
            let ga: Int32 = shown[3 * a + 1]
            let gb: Int32 = shown[3 * b + 1]
            return ga != gb ? ga < gb : a < b
        }
        var sorted: [Int32] = []
        sorted.reserveCapacity(4 * k)
        for i in order {
            sorted += [shown[3 * i + 1], shown[3 * i], shown[3 * i + 2], Int32(i)]
        }
        var start = [Int32](repeating: Int32(k), count: 256)
        var position = 0
        for g in 0..<256 {
            while position < k && sorted[4 * position] < Int32(g) { position += 1 }
            start[g] = Int32(position)
        }
        self.sorted = sorted
        self.start = start
    }

    /// The register nearest to r, g, b (each 0...255); on equal distances the one with the
    /// smaller distance found first, so ties may differ from `nearestNaive` (the distance
    /// never does).
    @inline(__always)
    static func nearest(
        _ r: Int32, _ g: Int32, _ b: Int32, _ sorted: UnsafeBufferPointer<Int32>,
        _ start: UnsafeBufferPointer<Int32>, _ k: Int
    ) -> Int {
        var best = 0
        var bestDistance = Int32.max
        var up = Int(start[Int(g)])
        var down = up - 1
        while up < k || down >= 0 {
            if up < k {
                let dg = sorted[4 * up] - g
                let dg2 = dg * dg
                if dg2 >= bestDistance {
                    up = k
                } else {
                    let dr = sorted[4 * up + 1] - r
                    let db = sorted[4 * up + 2] - b
                    let d = dg2 + dr * dr + db * db
                    if d < bestDistance {
                        bestDistance = d
                        best = Int(sorted[4 * up + 3])
                    }
                    up += 1
                }
            }
            if down >= 0 {
                let dg = g - sorted[4 * down]
                let dg2 = dg * dg
                if dg2 >= bestDistance {
                    down = -1
                } else {
                    let dr = sorted[4 * down + 1] - r
                    let db = sorted[4 * down + 2] - b
                    let d = dg2 + dr * dr + db * db
                    if d < bestDistance {
                        bestDistance = d
                        best = Int(sorted[4 * down + 3])
                    }
                    down -= 1
                }
            }
        }
        return best
    }
}
