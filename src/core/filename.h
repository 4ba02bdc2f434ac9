/*
 * filename.h - a file name a person typed, made safe to store and to put in a zip.
 *
 * Attachment names come from the uploader (issue 13, defect 3: "../../../../tmp/x.png",
 * "/etc/passwd", "C:/...", right-to-left overrides that show "gpj.exe" as "exe.jpg"). The
 * dossier zip names its entries after them, and a naive extractor writes wherever an entry
 * says; so a name keeps only its last path component and loses everything that could make
 * it mean another place or look like another name.
 */
#ifndef JIEFEN_CORE_FILENAME_H
#define JIEFEN_CORE_FILENAME_H

#include <stddef.h>

#define FILENAME_MAX_CHARS 100 /* characters (code points) kept at most */
#define FILENAME_BUF       (FILENAME_MAX_CHARS * 4 + 1)

/*
 * Writes into out (FILENAME_BUF bytes) the safe form of `name`: the part after the last
 * '/' or '\', without control characters (C0, DEL, C1), bidirectional and zero-width
 * formatting characters (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF) or
 * invalid UTF-8; the characters Windows forbids (<>:"|?*) become '_'; leading and trailing
 * dots and spaces go (so never "." or ".."); at most FILENAME_MAX_CHARS characters, the
 * extension kept when cut. When nothing is left, `fallback` (ASCII, e.g. "attachment.png").
 * Returns 1 if the name was changed, else 0.
 */
int filename_safe(const char *name, const char *fallback, char *out);

#endif
