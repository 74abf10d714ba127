import Testing

@testable import Store

@Suite("SQLite binding")
struct StoreBindingTests {
    @Test("an in-memory database migrates and round-trips a model row")
    func roundTrip() throws {
        let store = try IndexStore.inMemory()
        let first = try store.registerModel(
            name: "tiny", family: "chinese-clip", dimension: 4, fingerprint: "abc")
        let again = try store.registerModel(
            name: "tiny", family: "chinese-clip", dimension: 4, fingerprint: "abc")
        #expect(first == again)
        #expect(try store.models() == [first])
    }

    @Test("vectors survive the float32 BLOB encoding bit for bit")
    func vectorCoding() throws {
        let vector: [Float] = [0, -0.5, 1e-30, .greatestFiniteMagnitude, 0.123456789]
        let data = VectorCoding.encode(vector)
        #expect(data.count == 20)
        #expect(VectorCoding.decode(data) == vector)
        #expect(VectorCoding.decode(data.prefix(7)) == nil)
    }
}
