export class FilterSyntaxError extends Error {
    column;
    constructor(message, column) {
        super(message);
        this.column = column;
    }
}
