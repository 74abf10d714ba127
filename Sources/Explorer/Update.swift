import Cells
import PicseekCore

/// Grid thumbnails larger than this (pixels, long side) are shrunk on arrival.
let thumbnailMaxSide = 192
/// Detail previews larger than this are shrunk on arrival.
let previewMaxSide = 480

/// Applies `msg` to `state` and returns the work to do. Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .started:
        var effects: [Effect] = [.loadSummary]
        if !state.query.text.trimmingSpaces.isEmpty { effects += startSearch(&state) }
        return effects
    case .keyPressed(let key):
        return handleKey(&state, key)
    case .resized(let rows, let columns):
        let oldTile = state.layout.tile
        state.rows = max(0, rows)
        state.columns = max(0, columns)
        if state.layout.tile != oldTile {
            // Placements have the old tile size: send them again.
            state.kittyIDs = [:]
            state.kittyOwners = [:]
        }
        keepSelectionVisible(&state)
        return visibleThumbnailLoads(&state)
    case .searchResults(let seq, let hits):
        guard seq == state.latestSeq else { return [] } // stale: a newer search is running
        state.searching = false
        state.hits = state.order.sorted(
            hits.map { hit in
                var hit = hit
                hit.thumbnail = hit.thumbnail.map {
                    Thumbnail.limited($0, maxSide: thumbnailMaxSide)
                }
                return hit
            })
        state.selection = 0
        state.gridTopRow = 0
        return visibleThumbnailLoads(&state) + detailLoads(&state)
    case .searchFailed(let seq, let message):
        guard seq == state.latestSeq else { return [] }
        state.searching = false
        setError(&state, "search failed: \(message)")
        return []
    case .summaryLoaded(let summary):
        state.summary = summary
        return []
    case .thumbnailLoaded(let photoID, let image):
        state.pendingThumbnails.remove(photoID)
        state.thumbnails[photoID] = .some(
            image.map { Thumbnail.limited($0, maxSide: thumbnailMaxSide) })
        return kittyTransmits(&state)
    case .detailLoaded(let detail):
        state.pendingDetails.remove(detail.photoID)
        var detail = detail
        detail.preview = detail.preview.map { Thumbnail.limited($0, maxSide: previewMaxSide) }
        state.details[detail.photoID] = detail
        return []
    case .indexProgress(let progress):
        state.reindexing = true
        state.progress = progress
        return refreshDuringReindex(&state, done: progress.done, total: progress.total)
    case .indexFinished(let summary):
        state.reindexing = false
        state.refreshedAtDone = 0
        state.progress = nil
        state.summary = summary
        let skipped =
            summary.skipped > 0
            ? ", \(summary.skipped) skipped (formats picseek does not read)" : ""
        state.message = StatusMessage(
            "reindex finished: \(summary.photos) photos, \(summary.errors) errors" + skipped,
            isError: false)
        // New photos may match: run the current query again; then read their words.
        state.readingWords = true
        state.wordsProgress = nil
        return rerunSearch(&state) + [.readWords]
    case .wordsProgress(let progress):
        state.readingWords = true
        state.wordsProgress = progress
        return []
    case .wordsFinished(let summary):
        state.readingWords = false
        state.wordsProgress = nil
        state.summary = summary
        // Photos whose words were just read may match a word search (unless the user browses).
        guard state.wordSearch, state.selection == 0, !state.detailOpen, !state.searching
        else { return [] }
        return rerunSearch(&state)
    case .wordsFailed(let text):
        state.readingWords = false
        state.wordsProgress = nil
        setError(&state, "words in photos not read: \(text)")
        return []
    case .reindexRequested:
        return perform(&state, .reindex)
    case .modelSwitched(let summary):
        state.switchingModel = false
        state.summary = summary
        state.message = StatusMessage(
            "model: " + TerminalSafe.escape(summary.modelName), isError: false)
        // Scores come from the new model's vectors: search again.
        return rerunSearch(&state)
    case .modelSwitchFailed(let text):
        state.switchingModel = false
        setError(&state, "cannot switch model: \(text)")
        return []
    case .indexFailed(let text):
        state.reindexing = false
        state.progress = nil
        setError(&state, "reindex failed: \(text)")
        return []
    case .error(let text):
        setError(&state, text)
        return []
    case .notice(let text):
        state.message = StatusMessage(TerminalSafe.escape(text), isError: false)
        return []
    case .indexChanged:
        // Counts and, when the user is not browsing, the results follow the index.
        guard !state.reindexing else { return [] }
        var effects: [Effect] = [.loadSummary]
        if state.selection == 0, !state.detailOpen, !state.searching, !state.switchingModel {
            effects += rerunSearch(&state)
        }
        return effects
    case .tick:
        if state.searching || state.reindexing || state.switchingModel || state.readingWords {
            state.spinner = (state.spinner + 1) % 8
        }
        return []
    }
}

/// Photos indexed between refreshes during a reindex: a tenth of the run,
/// at least this many.
let refreshStep = 32

/// While a reindex runs, re-reads the counts and, when the user is not
/// browsing (first result selected, no detail pane, no search running), runs
/// the query again so newly indexed photos show up; every tenth of the run.
private func refreshDuringReindex(_ state: inout AppState, done: Int, total: Int) -> [Effect] {
    let step = max(refreshStep, total / 10)
    guard done - state.refreshedAtDone >= step else { return [] }
    state.refreshedAtDone = done
    var effects: [Effect] = [.loadSummary]
    if state.selection == 0, !state.detailOpen, !state.searching, !state.switchingModel {
        effects += rerunSearch(&state)
    }
    return effects
}

/// Runs the search that produced the results on screen again.
private func rerunSearch(_ state: inout AppState) -> [Effect] {
    switch state.source {
    case .text:
        return state.query.text.trimmingSpaces.isEmpty ? [] : startSearch(&state)
    case .similar(let photoID, _):
        state.latestSeq += 1
        state.searching = true
        return [.moreLikeThis(seq: state.latestSeq, photoID: photoID)]
    }
}

private func setError(_ state: inout AppState, _ text: String) {
    state.errorCount += 1
    state.message = StatusMessage(TerminalSafe.escape(text), isError: true)
}

private func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .resize { return [] } // the runtime sends `.resized` with the new size
    state.message = nil
    if state.helpVisible {
        // Any key closes the overlay; quitting keys still quit.
        state.helpVisible = false
        if key == .control("c") { return [.quit] }
        return []
    }
    if state.layout.tooSmall, key == .character("q") || key == .escape { return [.quit] }
    if case .mouse(let event) = key { return handleMouse(&state, event) }
    if let action = KeyMap.action(for: key, focus: state.focus) {
        return perform(&state, action)
    }
    guard state.focus == .query else { return [] }
    return editQuery(&state, key)
}

private func editQuery(_ state: inout AppState, _ key: Key) -> [Effect] {
    let before = state.query.text
    switch key {
    case .character(let c): state.query.insert(String(c))
    case .backspace: state.query.backspace()
    case .delete: state.query.deleteForward()
    case .left: state.query.move(by: -1)
    case .right: state.query.move(by: 1)
    case .home, .control("a"): state.query.moveToStart()
    case .end, .control("e"): state.query.moveToEnd()
    case .control("w"): state.query.deleteWordBackward()
    case .control("u"): state.query.deleteToStart()
    case .control("k"): state.query.deleteToEnd()
    case .alt("b"): state.query.moveWordBackward()
    case .alt("f"): state.query.moveWordForward()
    case .up: state.query.historyBack()
    case .down: state.query.historyForward()
    case .enter:
        state.query.commit()
        state.focus = .grid
        if state.source != .text || state.latestSeq == 0 { return startSearch(&state) }
        return []
    default: return []
    }
    guard state.query.text != before else { return [] }
    return startSearch(&state)
}

/// Issues a search for the query text (or clears results for an empty query).
private func startSearch(_ state: inout AppState) -> [Effect] {
    state.source = .text
    state.latestSeq += 1
    let text = state.query.text.trimmingSpaces
    if text.isEmpty {
        state.searching = false
        state.hits = []
        state.selection = 0
        state.gridTopRow = 0
        return []
    }
    state.searching = true
    if state.wordSearch { return [.searchWords(seq: state.latestSeq, query: text)] }
    return [.search(seq: state.latestSeq, query: text, language: state.language)]
}

private func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .quit:
        return [.quit]
    case .abort:
        state.aborted = true
        return [.quit]
    case .toggleMark:
        guard let hit = state.selectedHit else { return [] }
        if let index = state.marked.firstIndex(where: { $0.photoID == hit.photoID }) {
            state.marked.remove(at: index)
        } else {
            state.marked.append(MarkedPhoto(photoID: hit.photoID, pathBytes: hit.pathBytes))
        }
        state.message = StatusMessage(
            "\(state.marked.count) marked; their paths print when you quit with q", isError: false)
    case .focusQuery:
        state.focus = .query
    case .leaveQuery:
        state.focus = .grid
    case .cycleFocus, .cycleFocusBack:
        var order: [Focus] = [.query, .grid]
        if state.detailOpen { order.append(.detail) }
        let i = order.firstIndex(of: state.focus) ?? 0
        let step = action == .cycleFocus ? 1 : order.count - 1
        state.focus = order[(i + step) % order.count]
    case .moveLeft: return moveSelection(&state, by: -1)
    case .moveRight: return moveSelection(&state, by: 1)
    case .moveUp: return moveSelection(&state, by: -max(1, state.layout.tilesPerRow))
    case .moveDown: return moveSelection(&state, by: max(1, state.layout.tilesPerRow))
    case .pageUp:
        state.gridTopRow = max(0, state.gridTopRow - state.layout.visibleTileRows)
        return moveSelection(&state, by: -max(1, state.layout.visibleTiles))
    case .pageDown:
        state.gridTopRow += state.layout.visibleTileRows
        return moveSelection(&state, by: max(1, state.layout.visibleTiles))
    case .first: return moveSelection(&state, by: -state.hits.count)
    case .last: return moveSelection(&state, by: state.hits.count)
    case .toggleDetail:
        guard state.selectedHit != nil else { return [] }
        state.detailOpen.toggle()
        if !state.detailOpen, state.focus == .detail { state.focus = .grid }
        keepSelectionVisible(&state)
        return detailLoads(&state) + visibleThumbnailLoads(&state)
    case .closeDetail:
        state.detailOpen = false
        state.focus = .grid
        keepSelectionVisible(&state)
        return visibleThumbnailLoads(&state)
    case .moreLikeThis:
        guard let hit = state.selectedHit else { return [] }
        state.latestSeq += 1
        state.searching = true
        state.source = .similar(photoID: hit.photoID, name: hit.fileName)
        return [.moreLikeThis(seq: state.latestSeq, photoID: hit.photoID)]
    case .openInViewer:
        guard let hit = state.selectedHit else { return [] }
        state.message = StatusMessage(
            "opening " + TerminalSafe.escape(hit.fileName), isError: false)
        return [.open(path: hit.pathBytes)]
    case .copyPath:
        guard let hit = state.selectedHit else { return [] }
        state.message = StatusMessage("copied path to the clipboard (OSC 52)", isError: false)
        return [.copyToClipboard(bytes: hit.pathBytes)]
    case .reindex:
        if let reason = state.summary?.readOnlyReason {
            setError(
                &state, "reindex disabled: read-only index (" + TerminalSafe.escape(reason) + ")")
            return []
        }
        guard !state.reindexing else {
            state.message = StatusMessage("a reindex is already running", isError: false)
            return []
        }
        state.reindexing = true
        state.refreshedAtDone = 0
        state.progress = IndexProgress(done: 0, total: 0)
        return [.reindex]
    case .toggleLanguage:
        state.language = state.language.toggled
        state.message = StatusMessage(
            "prompt language: \(state.language.label(for: state.query.text))", isError: false)
        if state.source == .text, !state.query.text.trimmingSpaces.isEmpty {
            return startSearch(&state)
        }
    case .toggleWordSearch:
        state.wordSearch.toggle()
        state.message = StatusMessage(
            state.wordSearch
                ? "searching the words in photos (OCR); w or Ctrl-F: by meaning"
                : "searching by meaning", isError: false)
        if !state.query.text.trimmingSpaces.isEmpty { return startSearch(&state) }
    case .toggleHelp:
        state.helpVisible = true
    case .cycleOrder:
        state.order = state.order.next
        state.message = StatusMessage("order: \(state.order.label)", isError: false)
        let selected = state.selectedHit?.photoID
        state.hits = state.order.sorted(state.hits)
        // Keep the same photo selected, now at its new place.
        state.selection = state.hits.firstIndex { $0.photoID == selected } ?? 0
        keepSelectionVisible(&state)
        return visibleThumbnailLoads(&state)
    case .switchModel:
        guard !state.switchingModel else {
            state.message = StatusMessage("a model is already loading", isError: false)
            return []
        }
        guard let summary = state.summary, let next = summary.nextModel else {
            let name = state.summary.map { " (" + TerminalSafe.escape($0.modelName) + ")" } ?? ""
            state.message = StatusMessage(
                "no other model has vectors in this index\(name)", isError: false)
            return []
        }
        state.switchingModel = true
        state.message = StatusMessage(
            "loading model " + TerminalSafe.escape(next) + "…", isError: false)
        return [.switchModel(name: next)]
    }
    return []
}

private func moveSelection(_ state: inout AppState, by delta: Int) -> [Effect] {
    guard !state.hits.isEmpty else { return [] }
    state.selection = min(max(0, state.selection + delta), state.hits.count - 1)
    keepSelectionVisible(&state)
    return visibleThumbnailLoads(&state) + detailLoads(&state)
}

private func handleMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    let layout = state.layout
    switch event.kind {
    case .scrollUp: return moveSelection(&state, by: -max(1, layout.tilesPerRow))
    case .scrollDown: return moveSelection(&state, by: max(1, layout.tilesPerRow))
    case .release: return []
    case .press:
        if layout.query.contains(row: event.row, column: event.column) {
            state.focus = .query
            return []
        }
        guard
            let index = layout.tileIndex(
                atRow: event.row, column: event.column, topRow: state.gridTopRow),
            index < state.hits.count
        else { return [] }
        state.focus = .grid
        state.selection = index
        keepSelectionVisible(&state)
        return visibleThumbnailLoads(&state) + detailLoads(&state)
    }
}

/// Scrolls the grid so the selected tile is visible.
func keepSelectionVisible(_ state: inout AppState) {
    let layout = state.layout
    guard layout.tilesPerRow > 0 else { return }
    state.selection = min(state.selection, max(0, state.hits.count - 1))
    let row = state.selection / layout.tilesPerRow
    if row < state.gridTopRow { state.gridTopRow = row }
    if row >= state.gridTopRow + layout.visibleTileRows {
        state.gridTopRow = row - layout.visibleTileRows + 1
    }
    let lastRow = max(0, (state.hits.count - 1) / layout.tilesPerRow)
    state.gridTopRow = max(0, min(state.gridTopRow, lastRow))
}

/// Asks for thumbnails of visible tiles that are neither loaded nor pending.
private func visibleThumbnailLoads(_ state: inout AppState) -> [Effect] {
    let layout = state.layout
    guard !layout.tooSmall else { return [] }
    var wanted: [Int] = []
    if layout.tilesPerRow > 0 {
        let first = state.gridTopRow * layout.tilesPerRow
        let end = min(state.hits.count, first + layout.visibleTiles)
        if first < end { wanted += Array(first..<end) }
    }
    if state.detailOpen, state.hits.indices.contains(state.selection) {
        wanted.append(state.selection)
    }
    var effects: [Effect] = []
    for index in wanted {
        let hit = state.hits[index]
        guard hit.thumbnail == nil, state.thumbnails[hit.photoID] == nil,
            !state.pendingThumbnails.contains(hit.photoID)
        else { continue }
        state.pendingThumbnails.insert(hit.photoID)
        effects.append(.loadThumbnail(photoID: hit.photoID))
    }
    return effects + kittyTransmits(&state)
}

/// In kitty mode, sends the visible thumbnails that the terminal does not
/// have yet, reusing image numbers 1...255 in turn.
private func kittyTransmits(_ state: inout AppState) -> [Effect] {
    guard state.graphics == .kitty, state.kittyPlaceholders else { return [] }
    let layout = state.layout
    guard !layout.tooSmall, layout.tilesPerRow > 0 else { return [] }
    let first = state.gridTopRow * layout.tilesPerRow
    let end = min(state.hits.count, first + layout.visibleTiles)
    guard first < end else { return [] }
    var effects: [Effect] = []
    for hit in state.hits[first..<end] where state.kittyIDs[hit.photoID] == nil {
        guard let image = state.thumbnail(for: hit) else { continue }
        let id = state.nextKittyID
        state.nextKittyID = id % 255 + 1
        if let previous = state.kittyOwners[id] { state.kittyIDs[previous] = nil }
        state.kittyOwners[id] = hit.photoID
        state.kittyIDs[hit.photoID] = id
        effects.append(
            .transmitImage(
                id: id, image: image, columns: layout.tile.thumbColumns, rows: layout.tile.thumbRows
            ))
    }
    return effects
}

/// Asks for the selected photo's detail record when the detail pane is open.
private func detailLoads(_ state: inout AppState) -> [Effect] {
    guard state.detailOpen, let hit = state.selectedHit, state.details[hit.photoID] == nil,
        !state.pendingDetails.contains(hit.photoID)
    else { return [] }
    state.pendingDetails.insert(hit.photoID)
    return [.loadDetail(photoID: hit.photoID)]
}
