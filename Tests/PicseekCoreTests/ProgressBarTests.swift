import PicseekCore
import Testing

@Suite("Progress bar")
struct ProgressBarTests {
    @Test("cells are filled in proportion, rounded down")
    func proportion() {
        #expect(ProgressBar.render(done: 0, total: 10, width: 10) == "[..........]")
        #expect(ProgressBar.render(done: 3, total: 10, width: 10) == "[###.......]")
        #expect(
            ProgressBar.render(done: 1, total: 3, width: 24)
                == "[########................]")
        #expect(
            ProgressBar.render(done: 29, total: 30, width: 30)
                == "[" + String(repeating: "#", count: 29) + ".]")
    }

    @Test("the bar is full only when all is done")
    func fullOnlyAtEnd() {
        #expect(ProgressBar.render(done: 999, total: 1000, width: 24).contains("."))
        #expect(
            ProgressBar.render(done: 1000, total: 1000, width: 24)
                == "[" + String(repeating: "#", count: 24) + "]")
    }

    @Test("odd inputs stay inside the brackets")
    func oddInputs() {
        #expect(ProgressBar.render(done: 50, total: 10, width: 4) == "[####]")
        #expect(ProgressBar.render(done: 5, total: 0, width: 4) == "[....]")
        #expect(ProgressBar.render(done: -3, total: 10, width: 4) == "[....]")
        #expect(ProgressBar.render(done: 1, total: 2, width: 0) == "[]")
    }

    @Test("large byte counts do not overflow")
    func largeCounts() {
        let total: Int64 = 750 * 1024 * 1024 * 1024
        #expect(
            ProgressBar.render(done: total / 2, total: total, width: 30)
                == "[" + String(repeating: "#", count: 15) + String(repeating: ".", count: 15) + "]"
        )
    }
}
