// A drawn SVG as a file of its own, for "Copy as SVG": the colours and fonts
// the app's stylesheet gives it (light or dark, as shown) written onto each
// element, and the page's own attributes (classes, roles, test ids, focus)
// left out. It copies what is drawn, and the diagrams draw only redacted data.

/** The styles written onto the elements: what the stylesheet decides for SVG (all inherited, so each is written where it changes). */
const STYLES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'font-family', 'font-size', 'font-weight', 'font-style'];

/** Attributes that belong to the page, not to the picture. */
const pageOnly = (name: string) => name === 'class' || name === 'tabindex' || name === 'role' || name === 'focusable' || name.startsWith('aria-') || name.startsWith('data-');

/** The SVG as standalone markup, in the colours it has now, on its own background. */
export function standaloneSvg(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i];
    for (const a of [...target.attributes]) if (pageOnly(a.name)) target.removeAttribute(a.name);
    if (!(el instanceof SVGElement) || el instanceof SVGTitleElement) return;
    const style = getComputedStyle(el);
    const parent = el === svg || !el.parentElement ? null : getComputedStyle(el.parentElement);
    for (const name of STYLES) {
      const value = style.getPropertyValue(name);
      if (value && value !== parent?.getPropertyValue(name)) target.setAttribute(name, value);
    }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svg.viewBox.baseVal;
  const back = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  back.setAttribute('width', String(box?.width || svg.clientWidth));
  back.setAttribute('height', String(box?.height || svg.clientHeight));
  back.setAttribute('fill', background);
  copy.insertBefore(back, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}
