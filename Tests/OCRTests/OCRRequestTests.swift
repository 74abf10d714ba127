import OCR
import Testing

@Suite("OCR request")
struct OCRRequestTests {
    @Test("--ocr and --no-ocr are remembered for folders, never both at once")
    func folderSwitch() throws {
        var request = OCRRequest()
        #expect(try request.folderSwitch() == nil)
        request.disabled = true
        #expect(try request.folderSwitch() == false)
        request.readAgain = true
        #expect(throws: OCRUsageError("give --ocr or --no-ocr, not both")) {
            try request.folderSwitch()
        }
        request.disabled = false
        #expect(try request.folderSwitch() == true)
    }

    @Test("--ocr-only needs the pass on; watch refuses --ocr-only and --ocr")
    func commandRules() throws {
        var request = OCRRequest()
        try request.validateForIndex(environment: ["PICSEEK_OCR": "off"])
        try request.validateForWatch()
        request.only = true
        try request.validateForIndex(environment: [:])
        #expect(throws: OCRUsageError.self) {
            try request.validateForIndex(environment: ["PICSEEK_OCR": "off"])
        }
        #expect(throws: OCRUsageError("--ocr-only is for picseek index")) {
            try request.validateForWatch()
        }
        request.only = false
        request.readAgain = true
        #expect(throws: OCRUsageError.self) { try request.validateForWatch() }
    }

    @Test("the options given are passed again as arguments, defaults left out")
    func givenArguments() {
        var request = OCRRequest()
        #expect(request.givenArguments.isEmpty)
        request.disabled = true
        request.languages = "eng"
        request.budgetSeconds = 2.5
        #expect(
            request.givenArguments == ["--no-ocr", "--ocr-languages", "eng", "--ocr-budget", "2.5"])
    }

    @Test("no recognizer when off; a budget of 0 is refused; a missing language warns")
    func recognizer() throws {
        var request = OCRRequest()
        var warnings: [String] = []
        let off = try request.makeRecognizer(environment: ["PICSEEK_OCR": "off"]) {
            warnings.append($0)
        }
        #expect(off == nil)
        request.budgetSeconds = 0
        #expect(throws: OCRUsageError("--ocr-budget must be above 0")) {
            try request.makeRecognizer(environment: [:]) { warnings.append($0) }
        }
        request.budgetSeconds = 1
        request.languages = "no such language"
        #expect(try request.makeRecognizer(environment: [:]) { warnings.append($0) } == nil)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("warning: words in photos not read: ") == true)
        #expect(warnings.first?.hasSuffix(" (--no-ocr turns this pass off)") == true)
    }
}
