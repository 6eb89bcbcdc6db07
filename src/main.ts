/** Page entry: defines the components; index.html places <gb-app>. */
import './ui/gb-app';
