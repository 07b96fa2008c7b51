export class Item {
    field;
    offset;
    length;
    value;
    text;
    ds;
    children = null;
    /** shown in [brackets]: computed, not on the wire */
    generated = false;
    hidden = false;
    expert = null;
    /** text appended to the label, e.g. " [correct]" */
    suffix = null;
    constructor(field, offset, length, value, 
    /** full label override (text items always have one) */
    text = null, ds = 0) {
        this.field = field;
        this.offset = offset;
        this.length = length;
        this.value = value;
        this.text = text;
        this.ds = ds;
    }
    add(field, offset, length, value, text = null) {
        const it = new Item(field, offset, length, value, text, this.ds);
        (this.children ??= []).push(it);
        return it;
    }
    addText(text, offset = this.offset, length = 0) {
        const it = new Item(null, offset, length, null, text, this.ds);
        (this.children ??= []).push(it);
        return it;
    }
    addGenerated(field, value, text = null) {
        const it = this.add(field, this.offset, 0, value, text);
        it.generated = true;
        return it;
    }
    append(s) {
        this.suffix = (this.suffix ?? '') + s;
        return this;
    }
    setLength(len) {
        this.length = len;
        return this;
    }
    /** depth-first walk */
    *walk() {
        yield this;
        if (this.children)
            for (const c of this.children)
                yield* c.walk();
    }
    find(abbrev) {
        for (const it of this.walk())
            if (it.field?.abbrev === abbrev)
                return it;
        return undefined;
    }
    findAll(abbrev) {
        const out = [];
        for (const it of this.walk())
            if (it.field?.abbrev === abbrev)
                out.push(it);
        return out;
    }
}
