#!/usr/bin/env python3
"""Where a WASM's code weighs: function body sizes read from the code
section, named by the name section, summed by crate and by the type serde
(de)serialises. For the app's builds before wasm-bindgen and wasm-opt strip
the names, e.g. after `scripts/build-app.sh`:

    python3 scripts/wasm-weight.py target/wasm32-unknown-unknown/app/gocua-app.wasm [TOP]

Sizes are before wasm-opt and compression: compare them with each other,
and measure a cut with scripts/bench-size.sh (docs/benchmarks.md)."""
import collections
import re
import sys

CRATES = ['serde_json', 'serde_core', 'serde', 'tachys', 'reactive_graph', 'leptos_router', 'leptos',
          'gocua_app', 'gocua_domain', 'wasm_bindgen_futures', 'wasm_bindgen', 'js_sys', 'web_sys', 'chrono',
          'gloo', 'either_of', 'dlmalloc', 'hashbrown', 'core', 'alloc', 'std', 'uuid', 'futures']


def leb128(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def skip_name(data, at):
    length, at = leb128(data, at)
    return at + length


def read(path):
    """(imported function count, [body sizes], {function index: name})."""
    data = open(path, 'rb').read()
    imported, bodies, names = 0, [], {}
    at = 8
    while at < len(data):
        section = data[at]
        size, at = leb128(data, at + 1)
        end = at + size
        if section == 2:  # imports: count the functions, which come first in the index space
            count, cursor = leb128(data, at)
            for _ in range(count):
                cursor = skip_name(data, skip_name(data, cursor))
                kind = data[cursor]
                cursor += 1
                if kind == 0:
                    _, cursor = leb128(data, cursor)
                    imported += 1
                elif kind in (1, 2):  # table (reftype + limits) or memory (limits)
                    cursor += kind == 1
                    flags, cursor = leb128(data, cursor)
                    _, cursor = leb128(data, cursor)
                    if flags & 1:
                        _, cursor = leb128(data, cursor)
                elif kind == 3:
                    cursor += 2
        elif section == 10:
            count, cursor = leb128(data, at)
            for _ in range(count):
                length, cursor = leb128(data, cursor)
                bodies.append(length)
                cursor += length
        elif section == 0:
            name_end = skip_name(data, at)
            if data[at + 1:name_end] == b'name':
                cursor = name_end
                while cursor < end:
                    subsection = data[cursor]
                    length, cursor = leb128(data, cursor + 1)
                    if subsection == 1:
                        count, inner = leb128(data, cursor)
                        for _ in range(count):
                            index, inner = leb128(data, inner)
                            length_name, inner = leb128(data, inner)
                            names[index] = data[inner:inner + length_name].decode('utf8', 'replace')
                            inner += length_name
                    cursor += length
        at = end
    return imported, bodies, names


def main():
    path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imported, bodies, names = read(path)
    by_crate, by_serde_type, largest = collections.Counter(), collections.Counter(), []
    for index, size in enumerate(bodies):
        name = names.get(index + imported, '?')
        largest.append((size, name))
        if re.search('Deserializ|Serializ|Visitor|serde_json', name):
            kind = re.search(r'for\$u20\$([A-Za-z_:.0-9]+)', name)
            by_serde_type[kind.group(1) if kind else 'serde itself'] += size
            by_crate['serde (all (de)serialising code)'] += size
            continue
        found = [(name.find(crate), crate) for crate in CRATES if crate in name]
        by_crate[min(found)[1] if found else 'other'] += size
    print(f'{len(bodies)} functions, {sum(bodies)} bytes of code (before wasm-opt)\n\nby crate:')
    for crate, size in by_crate.most_common():
        print(f'{size:9d}  {crate}')
    print('\nserde, by type:')
    for kind, size in by_serde_type.most_common(top):
        print(f'{size:9d}  {kind}')
    print('\nlargest functions:')
    for size, name in sorted(largest, reverse=True)[:top]:
        print(f'{size:9d}  {name[:160]}')


if __name__ == '__main__':
    main()
