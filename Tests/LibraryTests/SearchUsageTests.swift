import Library
import Testing

@Suite("A search's options are checked before the index or the model is touched")
struct SearchUsageTests {
    private func search(_ change: (inout SearchInvocation) -> Void) -> SearchInvocation {
        var search = SearchInvocation()
        change(&search)
        return search
    }

    @Test("a query, --text or --like alone is a search")
    func oneKind() throws {
        try search { $0.query = ["a", "cat"] }.validate()
        try search { $0.text = "营业时间" }.validate()
        try search { $0.like = "7" }.validate()
    }

    @Test("no query at all is refused")
    func nothing() {
        #expect(throws: SearchUsageError("give a query, --text WORDS or --like PHOTO")) {
            try SearchInvocation().validate()
        }
    }

    @Test("--text with a query or --like is refused")
    func textWithOthers() {
        let message = SearchUsageError("--text searches only words in photos: give no other query")
        #expect(throws: message) {
            try search {
                $0.text = "sign"
                $0.query = ["cat"]
            }.validate()
        }
        #expect(throws: message) {
            try search {
                $0.text = "sign"
                $0.like = "7"
            }.validate()
        }
    }

    @Test("a query with --like is refused")
    func queryWithLike() {
        #expect(throws: SearchUsageError("give either a query or --like, not both")) {
            try search {
                $0.query = ["cat"]
                $0.like = "7"
            }.validate()
        }
    }

    @Test("fewer than one result is refused")
    func top() {
        #expect(throws: SearchUsageError("--top must be at least 1")) {
            try search {
                $0.query = ["cat"]
                $0.top = 0
            }.validate()
        }
    }

    @Test("both cutoffs at once are refused, either alone is kept")
    func cutoffs() throws {
        #expect(throws: SearchUsageError("give either --min-ratio or --within, not both")) {
            try search {
                $0.query = ["cat"]
                $0.minRatio = 0.5
                $0.within = 0.1
            }.validate()
        }
        try search {
            $0.query = ["cat"]
            $0.within = 0.1
        }.validate()
    }
}
