// The window's first frame is index.html's static one (the sidebar and
// "Loading…", styled by app.css): the app's code is fetched, parsed and
// mounted only after that frame is painted, so the window shows Tessera's
// layout at once instead of staying blank while the code starts.
import './app.css';

requestAnimationFrame(() => setTimeout(() => void import('./boot')));
