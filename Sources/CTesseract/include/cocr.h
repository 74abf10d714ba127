#ifndef COCR_H
#define COCR_H

#include <stddef.h>

/// One recognised word: UTF-8 text (malloc'd), confidence 0–100, box in pixels of the
/// image given to `cocr_recognize`, and the index of its text line.
typedef struct {
    char *text;
    float confidence;
    int left, top, width, height;
    int line;
} cocr_word;

/// An initialised Tesseract engine for one set of languages.
typedef struct cocr_engine cocr_engine;

/// Creates an engine for `languages` ("chi_sim+eng") with the language data under
/// `datapath` (NULL: Tesseract's default). NULL on failure, with a message in `message`.
cocr_engine *cocr_create(const char *datapath, const char *languages,
                         char *message, size_t message_size);

/// Frees the engine.
void cocr_destroy(cocr_engine *engine);

/// Recognises the 8-bit grey image `pixels` (`width` x `height`, `stride` bytes a row)
/// within `budget_ms` milliseconds (0: no limit). On success returns 0 and sets
/// `*words` (free with `cocr_free_words`) and `*count`; `*timed_out` is 1 when the budget
/// ran out (the words are then those read before it did). Returns -1 on failure with a
/// message.
int cocr_recognize(cocr_engine *engine, const unsigned char *pixels, int width, int height,
                   int stride, int budget_ms, cocr_word **words, int *count, int *timed_out,
                   char *message, size_t message_size);

/// Tesseract's layout analysis alone (no recognition) of the 8-bit grey image `pixels`:
/// the number of blocks it takes for text (or tables), 0 for none; -1 for an invalid image.
int cocr_count_text_blocks(cocr_engine *engine, const unsigned char *pixels, int width,
                           int height, int stride);

/// Frees what `cocr_recognize` returned.
void cocr_free_words(cocr_word *words, int count);

/// Tesseract's version string ("5.3.0").
const char *cocr_version(void);

#endif
