import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (target) {
  // Replace the static first frame from index.html.
  target.replaceChildren();
  mount(App, { target });
}
