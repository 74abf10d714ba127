/// A quantizer over the exact colours of an image, for when Wu's 32-level histogram is too
/// coarse: a smooth sky can hold hundreds of distinct colours inside twenty histogram cells, so
/// Wu stops at twenty boxes while 256 registers are allowed. Here boxes of distinct colours are
/// split, largest squared error first, on the channel of largest variance at the position that
/// leaves the least squared error (the same greedy rule as Wu, at full precision).
enum ExactQuantizer {
    /// Distinct colours of packed RGB `pixels` (`count` of them) as cells for `KMeans`: pixel
    /// count and r, g, b sums, four numbers a colour.
    static func distinct(_ pixels: UnsafeBufferPointer<UInt8>, count: Int) -> [Int64] {
        var bits = 10
        while (1 << bits) < 2 * count && bits < 25 { bits += 1 }
        let size = 1 << bits
        let mask = size - 1
        var keys = [UInt32](repeating: .max, count: size)
        var weights = [Int64](repeating: 0, count: size)
        keys.withUnsafeMutableBufferPointer { keys in
            weights.withUnsafeMutableBufferPointer { weights in
                for i in 0..<count {
                    let key =
                        UInt32(pixels[3 * i]) << 16 | UInt32(pixels[3 * i + 1]) << 8
                        | UInt32(pixels[3 * i + 2])
                    var slot = Int((key &* 0x9E37_79B1) >> UInt32(32 - bits)) & mask
                    while keys[slot] != key && keys[slot] != .max { slot = (slot + 1) & mask }
                    keys[slot] = key
                    weights[slot] += 1
                }
            }
        }
        var cells: [Int64] = []
        for slot in 0..<size where keys[slot] != .max {
            let key = keys[slot], w = weights[slot]
            cells += [w, w * Int64(key >> 16), w * Int64(key >> 8 & 0xFF), w * Int64(key & 0xFF)]
        }
        return cells
    }

    /// Up to `count` colours for `cells` (from `distinct`); as many as there are cells when
    /// those are fewer.
    static func palette(cells: [Int64], count: Int) -> [(r: Int, g: Int, b: Int)] {
        let n = cells.count / 4
        if n == 0 { return [] }
        // Per colour: weight and the colour itself.
        var w = [Int64](repeating: 0, count: n)
        var c = [[Int64]](repeating: [Int64](repeating: 0, count: n), count: 3)
        for i in 0..<n {
            w[i] = cells[4 * i]
            for k in 0..<3 { c[k][i] = cells[4 * i + 1 + k] / w[i] }
        }
        var order = Array(0..<n)

        struct Box {
            var start: Int
            var end: Int
            var error: Double
        }
        func squaredError(_ start: Int, _ end: Int) -> Double {
            var sw: Int64 = 0
            var s = [Int64](repeating: 0, count: 3)
            var sq: Int64 = 0
            for j in start..<end {
                let i = order[j]
                sw += w[i]
                for k in 0..<3 {
                    s[k] += w[i] * c[k][i]
                    sq += w[i] * c[k][i] * c[k][i]
                }
            }
            let mean2 = Double(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]) / Double(sw)
            return Double(sq) - mean2
        }
        var boxes = [Box(start: 0, end: n, error: squaredError(0, n))]
        while boxes.count < count {
            guard
                let pick = boxes.indices.filter({ boxes[$0].end - boxes[$0].start > 1 })
                    .max(by: { boxes[$0].error < boxes[$1].error }),
                boxes[pick].error > 0
            else { break }
            let box = boxes[pick]
            // Channel of largest weighted variance.
            var axis = 0
            var bestVariance = -1.0
            for k in 0..<3 {
                var sw: Int64 = 0, s: Int64 = 0, sq: Int64 = 0
                for j in box.start..<box.end {
                    let i = order[j]
                    sw += w[i]; s += w[i] * c[k][i]; sq += w[i] * c[k][i] * c[k][i]
                }
                let variance = Double(sq) - Double(s) * Double(s) / Double(sw)
                if variance > bestVariance {
                    bestVariance = variance
                    axis = k
                }
            }
            let channel = c[axis]
            // Sort the box by the channel: packed keys (value, then colour) sort fastest.
            var keys = order[box.start..<box.end].map { UInt64(channel[$0]) << 32 | UInt64($0) }
            keys.sort()
            for (j, key) in keys.enumerated() { order[box.start + j] = Int(key & 0xFFFF_FFFF) }
            // The cut (between distinct values of the channel) with the least total error.
            var totalW: Int64 = 0
            var total = [Int64](repeating: 0, count: 3)
            for j in box.start..<box.end {
                let i = order[j]
                totalW += w[i]
                for k in 0..<3 { total[k] += w[i] * c[k][i] }
            }
            var leftW: Int64 = 0
            var left = [Int64](repeating: 0, count: 3)
            var cut = -1
            var bestScore = -1.0
            for j in box.start..<(box.end - 1) {
                let i = order[j]
                leftW += w[i]
                for k in 0..<3 { left[k] += w[i] * c[k][i] }
                if channel[order[j + 1]] == channel[i] { continue }
                // Minimising the error is maximising |left sum|²/left w + |right sum|²/right w.
                let rightW = totalW - leftW
                var a = 0.0, b = 0.0
                for k in 0..<3 {
                    a += Double(left[k]) * Double(left[k])
                    let r = Double(total[k] - left[k])
                    b += r * r
                }
                let score = a / Double(leftW) + b / Double(rightW)
                if score > bestScore {
                    bestScore = score
                    cut = j + 1
                }
            }
            if cut < 0 {
                boxes[pick].error = 0
                continue
            }
            boxes[pick] = Box(start: box.start, end: cut, error: squaredError(box.start, cut))
            boxes.append(Box(start: cut, end: box.end, error: squaredError(cut, box.end)))
        }
        return boxes.map { box in
            var sw: Int64 = 0
            var s = [Int64](repeating: 0, count: 3)
            for j in box.start..<box.end {
                let i = order[j]
                sw += w[i]
                for k in 0..<3 { s[k] += w[i] * c[k][i] }
            }
            return (
                r: Int((s[0] + sw / 2) / sw), g: Int((s[1] + sw / 2) / sw),
                b: Int((s[2] + sw / 2) / sw)
            )
        }
    }
}
