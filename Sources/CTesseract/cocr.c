// libtesseract through its C API. Everything Tesseract-specific stays here; Swift
// (the OCR module) sees only cocr.h.
#include "cocr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tesseract/capi.h>

struct cocr_engine {
    TessBaseAPI *api;
};

static void set_message(char *message, size_t size, const char *text) {
    if (message != NULL && size > 0) snprintf(message, size, "%s", text);
}

cocr_engine *cocr_create(const char *datapath, const char *languages,
                         char *message, size_t message_size) {
    TessBaseAPI *api = TessBaseAPICreate();
    if (api == NULL) {
        set_message(message, message_size, "cannot create a tesseract engine");
        return NULL;
    }
    // Quiet: Tesseract otherwise writes warnings (resolution, empty pages) to stderr.
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (TessBaseAPIInit2(api, datapath, languages, OEM_LSTM_ONLY) != 0) {
        TessBaseAPIDelete(api);
        set_message(message, message_size, "tesseract could not load its language data");
        return NULL;
    }
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    TessBaseAPISetPageSegMode(api, PSM_AUTO);
    cocr_engine *engine = calloc(1, sizeof *engine);
    if (engine == NULL) {
        TessBaseAPIEnd(api);
        TessBaseAPIDelete(api);
        set_message(message, message_size, "out of memory");
        return NULL;
    }
    engine->api = api;
    return engine;
}

void cocr_destroy(cocr_engine *engine) {
    if (engine == NULL) return;
    TessBaseAPIEnd(engine->api);
    TessBaseAPIDelete(engine->api);
    free(engine);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int cocr_recognize(cocr_engine *engine, const unsigned char *pixels, int width, int height,
                   int stride, int budget_ms, cocr_word **words, int *count, int *timed_out,
                   char *message, size_t message_size) {
    *words = NULL;
    *count = 0;
    *timed_out = 0;
    if (engine == NULL || pixels == NULL || width <= 0 || height <= 0 || stride < width) {
        set_message(message, message_size, "invalid image for recognition");
        return -1;
    }
    TessBaseAPI *api = engine->api;
    TessBaseAPISetImage(api, pixels, width, height, 1, stride);
    TessBaseAPISetSourceResolution(api, 300);
    ETEXT_DESC *monitor = NULL;
    if (budget_ms > 0) {
        monitor = TessMonitorCreate();
        if (monitor != NULL) TessMonitorSetDeadlineMSecs(monitor, budget_ms);
    }
    double start = now_ms();
    int status = TessBaseAPIRecognize(api, monitor);
    double elapsed = now_ms() - start;
    if (monitor != NULL) TessMonitorDelete(monitor);
    if (budget_ms > 0 && elapsed >= budget_ms) *timed_out = 1;
    if (status != 0 && !*timed_out) {
        TessBaseAPIClear(api);
        set_message(message, message_size, "tesseract recognition failed");
        return -1;
    }

    int capacity = 64, n = 0, line = -1;
    cocr_word *out = malloc(sizeof *out * (size_t)capacity);
    if (out == NULL) {
        TessBaseAPIClear(api);
        set_message(message, message_size, "out of memory");
        return -1;
    }
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (it != NULL) {
        const TessPageIterator *page = TessResultIteratorGetPageIterator(it);
        do {
            if (TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE)) line += 1;
            char *text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
            if (text == NULL) continue;
            if (text[0] == '\0') {
                TessDeleteText(text);
                continue;
            }
            int l = 0, t = 0, r = 0, b = 0;
            TessPageIteratorBoundingBox(page, RIL_WORD, &l, &t, &r, &b);
            if (n == capacity) {
                capacity *= 2;
                cocr_word *grown = realloc(out, sizeof *out * (size_t)capacity);
                if (grown == NULL) {
                    TessDeleteText(text);
                    break;
                }
                out = grown;
            }
            char *copy = strdup(text);
            TessDeleteText(text);
            if (copy == NULL) break;
            out[n].text = copy;
            out[n].confidence = TessResultIteratorConfidence(it, RIL_WORD);
            out[n].left = l;
            out[n].top = t;
            out[n].width = r - l;
            out[n].height = b - t;
            out[n].line = line < 0 ? 0 : line;
            n += 1;
        } while (TessResultIteratorNext(it, RIL_WORD));
        TessResultIteratorDelete(it);
    }
    TessBaseAPIClear(api);
    *words = out;
    *count = n;
    return 0;
}

int cocr_count_text_blocks(cocr_engine *engine, const unsigned char *pixels, int width,
                           int height, int stride) {
    if (engine == NULL || pixels == NULL || width <= 0 || height <= 0 || stride < width) {
        return -1;
    }
    TessBaseAPI *api = engine->api;
    TessBaseAPISetImage(api, pixels, width, height, 1, stride);
    TessBaseAPISetSourceResolution(api, 300);
    int blocks = 0;
    TessPageIterator *it = TessBaseAPIAnalyseLayout(api);
    if (it != NULL) {
        do {
            switch (TessPageIteratorBlockType(it)) {
            case PT_FLOWING_TEXT:
            case PT_HEADING_TEXT:
            case PT_PULLOUT_TEXT:
            case PT_VERTICAL_TEXT:
            case PT_CAPTION_TEXT:
            case PT_TABLE:
                blocks += 1;
                break;
            default:
                break;
            }
        } while (TessPageIteratorNext(it, RIL_BLOCK));
        TessPageIteratorDelete(it);
    }
    TessBaseAPIClear(api);
    return blocks;
}

void cocr_free_words(cocr_word *words, int count) {
    if (words == NULL) return;
    for (int i = 0; i < count; i++) free(words[i].text);
    free(words);
}

const char *cocr_version(void) { return TessVersion(); }
