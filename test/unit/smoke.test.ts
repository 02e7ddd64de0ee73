describe('toolchain', () => {
  it('compiles TypeScript with decorators under ESM', () => {
    function mark(): PropertyDecorator { return (t, k) => { (t as any).__marked = k; }; }
    class A { @mark() x = 1; }
    expect((A.prototype as any).__marked).toBe('x');
  });
});
