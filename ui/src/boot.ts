// The app itself, loaded by main.ts once the static first frame is painted.
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (target) {
  // Replace the static first frame from index.html.
  target.replaceChildren();
  mount(App, { target });
}
