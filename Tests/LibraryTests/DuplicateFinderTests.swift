import Foundation
import Store
import Testing

@testable import Library

@Suite("Duplicate finder")
struct DuplicateFinderTests {
    /// Unit vectors in 3-d at these angles (radians) from the x axis, in the x-y plane.
    func set(angles: [Float]) -> VectorSet {
        let model = ModelRecord(id: 1, name: "m", family: "test", dimension: 3, fingerprint: "f")
        return VectorSet(
            model: model, ids: angles.indices.map { Int64($0 + 1) },
            paths: angles.indices.map { Array("/p/\($0).jpg".utf8) },
            takenAt: angles.map { _ in nil }, mtimeNs: angles.map { _ in 0 },
            matrix: angles.flatMap { [Float(cos(Double($0))), Float(sin(Double($0))), 0] },
            generation: 0)
    }

    @Test("pairs at or above the threshold group, chains link, tiles of any size agree")
    func groups() {
        // Rows 0 and 4: cos 0.995. Rows 1, 3, 5: a chain of 0.96 steps (1-5 alone is 0.86).
        // Row 2 stands alone.
        let vectors = set(angles: [0.0, 1.2, 2.6, 1.2 + 0.2838, 0.1, 1.2 + 0.5676])
        for block in [1, 2, 4, 1024] {
            let found = DuplicateFinder.groups(in: vectors, threshold: 0.95, block: block)
            #expect(found == [[1, 3, 5], [0, 4]], "block \(block): \(found)")
        }
        #expect(DuplicateFinder.groups(in: vectors, threshold: 0.99) == [[0, 4]])
        #expect(DuplicateFinder.groups(in: vectors, threshold: 0.999).isEmpty)
        #expect(DuplicateFinder.groups(in: set(angles: [0.5]), threshold: 0.5).isEmpty)
    }
}
